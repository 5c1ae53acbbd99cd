namespace OtlpSink;

/// <summary>The counters as the control endpoint returns them; the driver reads the same type (linked).</summary>
/// <remarks><c>AwsRequests</c>: accepted requests sent to an AWS host name; <c>SignedAwsRequests</c>: those of them signed for that host (the sink's <c>AwsSignature</c>).</remarks>
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
    Dictionary<string, long> LogRecordsByPhase,
    long AwsRequests,
    long SignedAwsRequests);
