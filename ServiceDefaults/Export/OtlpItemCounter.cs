namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Counts the spans, log records or metric data points in a serialized OTLP export request by
/// walking the protobuf wire format along the path to the items, so that every item the buffer
/// delivers or drops can be counted without deserializing it.
/// </summary>
internal static class OtlpItemCounter
{
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
        var reader = new ProtoReader(message);
        try
        {
            while (reader.TryReadTag(out var field, out var wireType))
            {
                if (wireType == ProtoReader.LengthDelimited && Array.IndexOf(path[depth], field) >= 0)
                {
                    var item = reader.ReadLengthDelimited();
                    count += depth == path.Length - 1 ? 1 : Count(item, path, depth + 1);
                }
                else
                {
                    reader.Skip(wireType);
                }
            }
        }
        catch (InvalidDataException)
        {
            // Malformed: what was read before the fault is counted.
        }

        return count;
    }
}
