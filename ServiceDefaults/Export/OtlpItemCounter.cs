namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Counts the spans, log records or metric data points in a serialized OTLP export request by
/// walking the protobuf wire format along the path to the items, so that every item the buffer
/// delivers or drops can be counted without deserializing it.
/// </summary>
internal static class OtlpItemCounter
{
    private const int WireVarint = 0, WireFixed64 = 1, WireLengthDelimited = 2, WireFixed32 = 5;

    // resource_* = 1 → scope_* = 2 → spans / log_records / metrics = 2.
    private static readonly int[][] SpansOrLogRecords = [[1], [2], [2]];

    // … → metrics = 2 → gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11 → data_points = 1.
    private static readonly int[][] MetricDataPoints = [[1], [2], [2], [5, 7, 9, 10, 11], [1]];

    /// <summary>Items in <paramref name="message"/>; a malformed message counts what was read before the fault.</summary>
    public static int Count(OtlpSignal signal, ReadOnlySpan<byte> message) =>
        Count(message, signal == OtlpSignal.Metrics ? MetricDataPoints : SpansOrLogRecords, 0);

    private static int Count(ReadOnlySpan<byte> message, int[][] path, int depth)
    {
        var count = 0;
        var position = 0;
        while (position < message.Length)
        {
            if (!TryReadVarint(message, ref position, out var tag))
            {
                return count;
            }

            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case WireVarint:
                    if (!TryReadVarint(message, ref position, out _))
                    {
                        return count;
                    }

                    break;
                case WireFixed64:
                    position += 8;
                    break;
                case WireFixed32:
                    position += 4;
                    break;
                case WireLengthDelimited:
                    if (!TryReadVarint(message, ref position, out var length) || length > (ulong)(message.Length - position))
                    {
                        return count;
                    }

                    if (Array.IndexOf(path[depth], field) >= 0)
                    {
                        count += depth == path.Length - 1 ? 1 : Count(message.Slice(position, (int)length), path, depth + 1);
                    }

                    position += (int)length;
                    break;
                default:
                    return count;
            }
        }

        return count;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> message, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < message.Length; shift += 7)
        {
            var next = message[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
