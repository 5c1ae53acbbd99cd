using System.Buffers.Binary;
using System.IO.Compression;

namespace OtlpSink;

/// <summary>
/// The OTLP export endpoints: gRPC (unary calls of the three collector services over HTTP/2) and
/// HTTP with protobuf bodies (<c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>).
/// </summary>
internal static class OtlpEndpoints
{
    private delegate void MessageReader(ReadOnlySpan<byte> request, SignalBatch batch);

    private const string GrpcContentType = "application/grpc";
    private const string ProtobufContentType = "application/x-protobuf";
    private const int GrpcFrameHeaderLength = 5;
    private const string GrpcStatusOk = "0";
    private const string GrpcStatusInvalidArgument = "3";

    public static void MapOtlp(this WebApplication app, Tally tally)
    {
        Map(app, tally, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "/v1/traces", OtlpMessages.ReadTraces);
        Map(app, tally, "/opentelemetry.proto.collector.logs.v1.LogsService/Export", "/v1/logs", OtlpMessages.ReadLogs);
        Map(app, tally, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "/v1/metrics", OtlpMessages.ReadMetrics);
    }

    private static void Map(WebApplication app, Tally tally, string grpcPath, string httpPath, MessageReader read)
    {
        app.MapPost(grpcPath, context => ReceiveGrpcAsync(context, tally, read));
        app.MapPost(httpPath, context => ReceiveHttpAsync(context, tally, read));
    }

    private static async Task ReceiveGrpcAsync(HttpContext context, Tally tally, MessageReader read)
    {
        var body = await ReadBodyAsync(context.Request);
        var gzip = context.Request.Headers["grpc-encoding"] == "gzip";
        context.Response.ContentType = GrpcContentType;
        try
        {
            var batch = new SignalBatch();
            var frames = body.AsMemory();
            while (!frames.IsEmpty)
            {
                if (frames.Length < GrpcFrameHeaderLength)
                {
                    throw new InvalidDataException("Truncated gRPC frame header.");
                }

                var compressed = frames.Span[0] == 1;
                var length = BinaryPrimitives.ReadUInt32BigEndian(frames.Span[1..GrpcFrameHeaderLength]);
                if (length > frames.Length - GrpcFrameHeaderLength)
                {
                    throw new InvalidDataException("Truncated gRPC message.");
                }

                var message = frames.Slice(GrpcFrameHeaderLength, (int)length);
                read(compressed && gzip ? Gunzip(message) : message.Span, batch);
                frames = frames[(GrpcFrameHeaderLength + (int)length)..];
            }

            tally.Add(batch, body.Length);
            // One empty Export*ServiceResponse: not compressed, zero length.
            await context.Response.Body.WriteAsync(new byte[GrpcFrameHeaderLength]);
            context.Response.AppendTrailer("grpc-status", GrpcStatusOk);
        }
        catch (InvalidDataException error)
        {
            tally.Reject(body.Length);
            context.Response.AppendTrailer("grpc-status", GrpcStatusInvalidArgument);
            context.Response.AppendTrailer("grpc-message", error.Message);
        }
    }

    private static async Task ReceiveHttpAsync(HttpContext context, Tally tally, MessageReader read)
    {
        var body = await ReadBodyAsync(context.Request);
        try
        {
            var batch = new SignalBatch { Aws = AwsSignature.Of(context.Request) };
            var gzip = context.Request.Headers.ContentEncoding == "gzip";
            read(gzip ? Gunzip(body) : body, batch);
            tally.Add(batch, body.Length);
            // An empty Export*ServiceResponse is zero bytes of protobuf.
            context.Response.ContentType = ProtobufContentType;
        }
        catch (InvalidDataException error)
        {
            tally.Reject(body.Length);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(error.Message);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream((int)(request.ContentLength ?? 0));
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    private static byte[] Gunzip(ReadOnlyMemory<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
