namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Reads the protobuf wire format field by field, without a schema: enough to count OTLP items and
/// to find <c>google.rpc.RetryInfo</c> in a gRPC status, never to deserialize a whole message.
/// </summary>
internal ref struct ProtoWire(ReadOnlySpan<byte> message)
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    /// <summary>The current field's number.</summary>
    public int Field { get; private set; }

    /// <summary>The current field's wire type.</summary>
    public int WireType { get; private set; }

    /// <summary>The current field's value when it is a varint.</summary>
    public ulong Value { get; private set; }

    /// <summary>The current field's bytes when it is length-delimited.</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>Moves to the next field; false at the end or at the first malformed byte.</summary>
    public bool Next()
    {
        if (_position >= _message.Length || !TryReadVarint(out var tag))
        {
            return false;
        }

        (Field, WireType, Value) = ((int)(tag >> 3), (int)(tag & 7), 0);
        Bytes = default;
        switch (WireType)
        {
            case Varint:
                if (!TryReadVarint(out var value))
                {
                    return false;
                }

                Value = value;
                return true;
            case Fixed64:
                return Skip(8);
            case Fixed32:
                return Skip(4);
            case LengthDelimited:
                if (!TryReadVarint(out var length) || length > (ulong)(_message.Length - _position))
                {
                    return false;
                }

                Bytes = _message.Slice(_position, (int)length);
                _position += (int)length;
                return true;
            default:
                return false;
        }
    }

    private bool Skip(int bytes)
    {
        _position += bytes;
        return _position <= _message.Length;
    }

    private bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && _position < _message.Length; shift += 7)
        {
            var next = _message[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
