namespace OtlpSink;

/// <summary>The counters as the control endpoint returns them; the driver reads the same type (linked).</summary>
internal sealed record TallySnapshot(
    long Requests,
    long Bytes,
    long RejectedRequests,
    long Spans,
    long DistinctSpans,
    long LogRecords,
    long SpanAttributes,
    long Metrics,
    Dictionary<string, long> SpansByPhase,
    Dictionary<string, long> LogRecordsByPhase);
