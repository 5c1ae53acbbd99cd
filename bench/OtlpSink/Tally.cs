namespace OtlpSink;

/// <summary>
/// Everything the sink has received since the last reset. Spans are also counted by distinct span
/// id, so a batch the exporter sends twice (a retry) cannot pass for two batches' worth.
/// </summary>
internal sealed class Tally
{
    public const int Phases = 256;

    private readonly Lock _lock = new();
    private readonly HashSet<ulong> _spanIds = [];
    private readonly long[] _spansByPhase = new long[Phases];
    private readonly long[] _logRecordsByPhase = new long[Phases];
    private long _requests;
    private long _bytes;
    private long _rejected;
    private long _spans;
    private long _logRecords;
    private long _attributes;
    private long _metrics;
    private long _awsRequests;
    private long _signedAwsRequests;

    public void Add(SignalBatch batch, long bytes)
    {
        lock (_lock)
        {
            _requests++;
            _bytes += bytes;
            _spans += batch.SpanIds.Count;
            foreach (var spanId in batch.SpanIds)
            {
                _spanIds.Add(spanId);
            }

            for (var phase = 0; phase < Phases; phase++)
            {
                _spansByPhase[phase] += batch.SpansByPhase[phase];
                _logRecordsByPhase[phase] += batch.LogRecordsByPhase[phase];
            }

            _logRecords += batch.LogRecords;
            _attributes += batch.Attributes;
            _metrics += batch.Metrics;
            _awsRequests += batch.Aws == AwsAddressing.NotAws ? 0 : 1;
            _signedAwsRequests += batch.Aws == AwsAddressing.Signed ? 1 : 0;
        }
    }

    public void Reject(long bytes)
    {
        lock (_lock)
        {
            _rejected++;
            _bytes += bytes;
        }
    }

    public TallySnapshot Snapshot()
    {
        lock (_lock)
        {
            return new TallySnapshot(
                _requests, _bytes, _rejected, _spans, _spanIds.Count, _logRecords, _attributes, _metrics,
                ByPhase(_spansByPhase), ByPhase(_logRecordsByPhase), _awsRequests, _signedAwsRequests);
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _spanIds.Clear();
            _spanIds.TrimExcess();
            Array.Clear(_spansByPhase);
            Array.Clear(_logRecordsByPhase);
            _requests = _bytes = _rejected = _spans = _logRecords = _attributes = _metrics = _awsRequests = _signedAwsRequests = 0;
        }
    }

    private static Dictionary<string, long> ByPhase(long[] counts) =>
        Enumerable.Range(0, Phases).Where(phase => counts[phase] > 0).ToDictionary(phase => phase.ToString("x2", System.Globalization.CultureInfo.InvariantCulture), phase => counts[phase]);
}
