using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests.Aot;

/// <summary>One exported span, decoded from the OTLP protobuf an exporter sent.</summary>
public sealed record ExportedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Resource);

/// <summary>One exported log record, decoded from the OTLP protobuf an exporter sent.</summary>
public sealed record ExportedLogRecord(
    string TraceId, string SpanId, string Body, IReadOnlyDictionary<string, string> Attributes, IReadOnlyDictionary<string, string> Resource);

/// <summary>
/// Decodes OTLP export requests (opentelemetry-proto v1 field numbers) into the fields the tests
/// check. Reads the protobuf wire format with ServiceDefaults' <see cref="ProtoReader"/>.
/// </summary>
public static class OtlpDecoder
{
    // Export*ServiceRequest.resource_*; Resource*.resource and .scope_*; Scope*.spans / .log_records.
    private const int RequestResources = 1;
    private const int ResourceOfItems = 1;
    private const int ResourceScopes = 2;
    private const int ScopeItems = 2;
    private const int ResourceAttributes = 1;

    // Span.
    private const int SpanTraceId = 1;
    private const int SpanSpanId = 2;
    private const int SpanParentSpanId = 4;
    private const int SpanName = 5;

    // LogRecord.
    private const int LogBody = 5;
    private const int LogAttributes = 6;
    private const int LogTraceId = 9;
    private const int LogSpanId = 10;

    // KeyValue and AnyValue.
    private const int KeyValueKey = 1;
    private const int KeyValueValue = 2;
    private const int AnyValueString = 1;
    private const int AnyValueBool = 2;
    private const int AnyValueInt = 3;

    public static IReadOnlyList<ExportedSpan> Spans(IEnumerable<byte[]> requests) =>
        Items(requests, (item, resource) =>
        {
            string traceId = "", spanId = "", parentSpanId = "", name = "";
            var reader = new ProtoReader(item);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                switch (field)
                {
                    case SpanTraceId: traceId = Convert.ToHexStringLower(reader.ReadLengthDelimited()); break;
                    case SpanSpanId: spanId = Convert.ToHexStringLower(reader.ReadLengthDelimited()); break;
                    case SpanParentSpanId: parentSpanId = Convert.ToHexStringLower(reader.ReadLengthDelimited()); break;
                    case SpanName: name = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()); break;
                    default: reader.Skip(wireType); break;
                }
            }

            return new ExportedSpan(traceId, spanId, parentSpanId, name, resource);
        });

    public static IReadOnlyList<ExportedLogRecord> LogRecords(IEnumerable<byte[]> requests) =>
        Items(requests, (item, resource) =>
        {
            string traceId = "", spanId = "", body = "";
            var attributes = new Dictionary<string, string>();
            var reader = new ProtoReader(item);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                switch (field)
                {
                    case LogTraceId: traceId = Convert.ToHexStringLower(reader.ReadLengthDelimited()); break;
                    case LogSpanId: spanId = Convert.ToHexStringLower(reader.ReadLengthDelimited()); break;
                    case LogBody: body = AnyValue(reader.ReadLengthDelimited()); break;
                    case LogAttributes: AddKeyValue(reader.ReadLengthDelimited(), attributes); break;
                    default: reader.Skip(wireType); break;
                }
            }

            return new ExportedLogRecord(traceId, spanId, body, attributes, resource);
        });

    private delegate T ItemDecoder<T>(ReadOnlySpan<byte> item, IReadOnlyDictionary<string, string> resource);

    /// <summary>Every item of every request, each with its resource's attributes.</summary>
    private static List<T> Items<T>(IEnumerable<byte[]> requests, ItemDecoder<T> decode)
    {
        var items = new List<T>();
        foreach (var message in requests)
        {
            var request = new ProtoReader(message);
            while (request.TryReadNext(RequestResources, out var resourceItems))
            {
                var resource = new Dictionary<string, string>();
                var scopes = new List<byte[]>();
                var reader = new ProtoReader(resourceItems);
                while (reader.TryReadTag(out var field, out var wireType))
                {
                    if (field == ResourceOfItems)
                    {
                        ReadAttributes(reader.ReadLengthDelimited(), ResourceAttributes, resource);
                    }
                    else if (field == ResourceScopes)
                    {
                        scopes.Add(reader.ReadLengthDelimited().ToArray());
                    }
                    else
                    {
                        reader.Skip(wireType);
                    }
                }

                foreach (var scope in scopes)
                {
                    var scopeReader = new ProtoReader(scope);
                    while (scopeReader.TryReadNext(ScopeItems, out var item))
                    {
                        items.Add(decode(item, resource));
                    }
                }
            }
        }

        return items;
    }

    private static void ReadAttributes(ReadOnlySpan<byte> message, int attributeField, Dictionary<string, string> into)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadNext(attributeField, out var keyValue))
        {
            AddKeyValue(keyValue, into);
        }
    }

    private static void AddKeyValue(ReadOnlySpan<byte> keyValue, Dictionary<string, string> into)
    {
        string key = "", value = "";
        var reader = new ProtoReader(keyValue);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case KeyValueKey: key = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()); break;
                case KeyValueValue: value = AnyValue(reader.ReadLengthDelimited()); break;
                default: reader.Skip(wireType); break;
            }
        }

        into[key] = value;
    }

    /// <summary>Strings, booleans and integers as text; other kinds as an empty string.</summary>
    private static string AnyValue(ReadOnlySpan<byte> anyValue)
    {
        var reader = new ProtoReader(anyValue);
        var value = "";
        while (reader.TryReadTag(out var field, out var wireType))
        {
            value = field switch
            {
                AnyValueString => System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()),
                AnyValueBool => (reader.ReadVarint() != 0).ToString(),
                AnyValueInt => ((long)reader.ReadVarint()).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => Skipped(ref reader, wireType),
            };
        }

        return value;
    }

    private static string Skipped(ref ProtoReader reader, int wireType)
    {
        reader.Skip(wireType);
        return "";
    }
}
