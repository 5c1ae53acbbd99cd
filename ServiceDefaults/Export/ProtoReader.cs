namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A minimal protobuf wire-format reader over one message's bytes, without a schema: tags, varints,
/// fixed fields and length-delimited fields (returned as slices, never copied). Malformed input throws
/// <see cref="InvalidDataException"/>. The one reader of the solution: the export buffer counts OTLP
/// items and finds <c>RetryInfo</c> with it, and the benchmark sink and the AOT tests link this file.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> message)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out int wireType)
    {
        if (_position >= _message.Length)
        {
            fieldNumber = wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        fieldNumber = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (fieldNumber == 0)
        {
            throw new InvalidDataException("Field number 0 is not valid protobuf.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Next(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Varint longer than 10 bytes.");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        return length > int.MaxValue ? throw new InvalidDataException("Length out of range.") : Next((int)length);
    }

    /// <summary>Moves to the next occurrence of a length-delimited field (a message, string or bytes), skipping other fields.</summary>
    public bool TryReadNext(int fieldNumber, out ReadOnlySpan<byte> value)
    {
        while (TryReadTag(out var field, out var wireType))
        {
            if (field == fieldNumber && wireType == LengthDelimited)
            {
                value = ReadLengthDelimited();
                return true;
            }

            Skip(wireType);
        }

        value = default;
        return false;
    }

    /// <summary>Skips the value of a field this reader does not need, by its wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Next(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Next(4);
                break;
            default:
                throw new InvalidDataException($"Unsupported wire type {wireType}.");
        }
    }

    private ReadOnlySpan<byte> Next(int count)
    {
        if (count > _message.Length - _position)
        {
            throw new InvalidDataException("Field runs past the end of its message.");
        }

        var slice = _message.Slice(_position, count);
        _position += count;
        return slice;
    }
}
