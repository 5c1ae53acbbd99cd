using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

/// <summary>
/// OTLP/HTTP export requests as the SDK's exporter hands them to the buffer: an
/// Export*ServiceRequest with a given number of items, each item carrying a marker the
/// scripted receiver reads back, and padding to set the size.
/// </summary>
internal static class Payloads
{
    private const string Prefix = "marker:";

    public static OtlpPayload Of(OtlpSignal signal, string marker, int items = 1, int padding = 0, bool grpc = false,
        ExportDestination destination = ExportDestination.Primary)
    {
        // resource_* (1) → scope_* (2) → items (2). A span or log record holds the marker (and padding) in
        // field 5 (a span's name, a record's body); a metric in its name (1), with one gauge (5) data point (1).
        var text = Encoding.ASCII.GetBytes(Prefix + marker + ";" + new string('x', padding));
        var item = signal == OtlpSignal.Metrics ? [.. LengthDelimited(1, text), .. LengthDelimited(5, LengthDelimited(1, []))] : LengthDelimited(5, text);
        byte[] scope = [.. Enumerable.Repeat(LengthDelimited(2, item), items).SelectMany(bytes => bytes)];
        var body = LengthDelimited(1, LengthDelimited(2, scope));
        if (grpc)
        {
            // The gRPC frame: not compressed, then the message length, big-endian.
            body = [0, .. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(body.Length)), .. body];
        }

        var path = (signal, grpc) switch
        {
            (OtlpSignal.Traces, false) => "/v1/traces",
            (OtlpSignal.Logs, false) => "/v1/logs",
            (OtlpSignal.Metrics, false) => "/v1/metrics",
            (OtlpSignal.Traces, true) => "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
            (OtlpSignal.Logs, true) => "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
            _ => "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://collector:4318" + path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(grpc ? "application/grpc" : "application/x-protobuf");
        return OtlpPayload.From(request, destination)!;
    }

    /// <summary>The marker of the first item in a request body (gRPC-framed or not, gzipped or not).</summary>
    public static string MarkerOf(byte[] body)
    {
        if (body.Length > 5 && body[0] is 0 or 1 && body[5] is 0x0a or 0x1f)
        {
            body = body[5..]; // a gRPC frame: the message (field 1) or its gzip
        }

        if (body.Length > 2 && body[0] == 0x1f && body[1] == 0x8b)
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            body = plain.ToArray();
        }

        var text = Encoding.ASCII.GetString(body);
        var start = text.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length;
        return text[start..text.IndexOf(';', start)];
    }

    /// <summary>A length-delimited protobuf field: its tag, the length as a varint, the bytes.</summary>
    public static byte[] LengthDelimited(int number, byte[] value)
    {
        var header = new List<byte> { (byte)((number << 3) | 2) };
        for (var length = (uint)value.Length; ; length >>= 7)
        {
            header.Add((byte)(length < 0x80 ? length : (length & 0x7F) | 0x80));
            if (length < 0x80)
            {
                break;
            }
        }

        return [.. header, .. value];
    }
}
