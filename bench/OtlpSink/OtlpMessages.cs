namespace OtlpSink;

/// <summary>
/// Walks OTLP export requests field by field, with the field numbers of the OTLP protobuf
/// definitions (opentelemetry-proto v1: collector/*/v1 services, trace/v1, logs/v1, metrics/v1).
/// Every span and log record is decoded to its ids and checked, so what is counted was really sent.
/// </summary>
internal static class OtlpMessages
{
    // ExportTraceServiceRequest.resource_spans, ResourceSpans.scope_spans, ScopeSpans.spans.
    private const int ResourceSpans = 1;
    private const int ScopeSpans = 2;
    private const int Spans = 2;

    // Span fields.
    private const int SpanTraceId = 1;
    private const int SpanSpanId = 2;
    private const int SpanName = 5;
    private const int SpanAttributes = 9;

    // ExportLogsServiceRequest.resource_logs, ResourceLogs.scope_logs, ScopeLogs.log_records.
    private const int ResourceLogs = 1;
    private const int ScopeLogs = 2;
    private const int LogRecords = 2;

    // LogRecord fields.
    private const int LogTraceId = 9;
    private const int LogSpanId = 10;

    // ExportMetricsServiceRequest.resource_metrics, ResourceMetrics.scope_metrics, ScopeMetrics.metrics.
    private const int ResourceMetrics = 1;
    private const int ScopeMetrics = 2;
    private const int Metrics = 2;

    private const int TraceIdLength = 16;
    private const int SpanIdLength = 8;

    /// <summary>Reads one span, log record or metric.</summary>
    private delegate void ItemReader(ReadOnlySpan<byte> item, SignalBatch batch);

    /// <summary>Adds every span of an ExportTraceServiceRequest to <paramref name="batch"/>.</summary>
    public static void ReadTraces(ReadOnlySpan<byte> request, SignalBatch batch) =>
        ReadItems(request, ResourceSpans, ScopeSpans, Spans, batch, ReadSpan);

    /// <summary>Adds every log record of an ExportLogsServiceRequest to <paramref name="batch"/>.</summary>
    public static void ReadLogs(ReadOnlySpan<byte> request, SignalBatch batch) =>
        ReadItems(request, ResourceLogs, ScopeLogs, LogRecords, batch, ReadLogRecord);

    /// <summary>Counts the metrics of an ExportMetricsServiceRequest.</summary>
    public static void ReadMetrics(ReadOnlySpan<byte> request, SignalBatch batch) =>
        ReadItems(request, ResourceMetrics, ScopeMetrics, Metrics, batch, static (_, batch) => batch.Metrics++);

    /// <summary>Every export request nests its items the same way: resource, then scope, then item.</summary>
    private static void ReadItems(
        ReadOnlySpan<byte> request, int resourceField, int scopeField, int itemField, SignalBatch batch, ItemReader readItem)
    {
        var requestReader = new ProtoReader(request);
        while (requestReader.TryReadNext(resourceField, out var resource))
        {
            var resourceReader = new ProtoReader(resource);
            while (resourceReader.TryReadNext(scopeField, out var scope))
            {
                var scopeReader = new ProtoReader(scope);
                while (scopeReader.TryReadNext(itemField, out var item))
                {
                    readItem(item, batch);
                }
            }
        }
    }

    private static void ReadSpan(ReadOnlySpan<byte> span, SignalBatch batch)
    {
        var reader = new ProtoReader(span);
        ReadOnlySpan<byte> traceId = default, spanId = default;
        var hasName = false;
        var attributes = 0;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case SpanTraceId when wireType == ProtoReader.LengthDelimited:
                    traceId = reader.ReadLengthDelimited();
                    break;
                case SpanSpanId when wireType == ProtoReader.LengthDelimited:
                    spanId = reader.ReadLengthDelimited();
                    break;
                case SpanName when wireType == ProtoReader.LengthDelimited:
                    hasName = reader.ReadLengthDelimited().Length > 0;
                    break;
                case SpanAttributes when wireType == ProtoReader.LengthDelimited:
                    reader.ReadLengthDelimited();
                    attributes++;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (traceId.Length != TraceIdLength || spanId.Length != SpanIdLength || !hasName)
        {
            throw new InvalidDataException("A span without a 16-byte trace id, an 8-byte span id and a name.");
        }

        batch.AddSpan(traceId[0], BitConverter.ToUInt64(spanId), attributes);
    }

    private static void ReadLogRecord(ReadOnlySpan<byte> record, SignalBatch batch)
    {
        var reader = new ProtoReader(record);
        ReadOnlySpan<byte> traceId = default, spanId = default;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case LogTraceId when wireType == ProtoReader.LengthDelimited:
                    traceId = reader.ReadLengthDelimited();
                    break;
                case LogSpanId when wireType == ProtoReader.LengthDelimited:
                    spanId = reader.ReadLengthDelimited();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        // Ids are optional on a log record (a log written outside any span has none).
        if (traceId.Length is not (0 or TraceIdLength) || spanId.Length is not (0 or SpanIdLength))
        {
            throw new InvalidDataException("A log record with a malformed trace or span id.");
        }

        batch.AddLogRecord(traceId.IsEmpty ? null : traceId[0]);
    }
}
