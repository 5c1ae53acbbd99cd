namespace OtlpSink;

/// <summary>What one export request carried, gathered before it is added to the <see cref="Tally"/>.</summary>
internal sealed class SignalBatch
{
    public List<ulong> SpanIds { get; } = [];

    /// <summary>Spans by the first byte of their trace id, which the load generator uses to mark a phase.</summary>
    public long[] SpansByPhase { get; } = new long[Tally.Phases];

    public long[] LogRecordsByPhase { get; } = new long[Tally.Phases];

    public long LogRecords { get; private set; }

    public long Attributes { get; private set; }

    public long Metrics { get; set; }

    /// <summary>Whether the request was sent to an AWS host name, and signed (OTLP/HTTP only).</summary>
    public AwsAddressing Aws { get; set; }

    public void AddSpan(byte phase, ulong spanId, int attributes)
    {
        SpanIds.Add(spanId);
        SpansByPhase[phase]++;
        Attributes += attributes;
    }

    public void AddLogRecord(byte? phase)
    {
        LogRecords++;
        if (phase is { } marked)
        {
            LogRecordsByPhase[marked]++;
        }
    }
}
