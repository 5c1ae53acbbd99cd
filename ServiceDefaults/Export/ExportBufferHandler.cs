using System.Net;
using System.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The handler under the OpenTelemetry OTLP exporters' HttpClient: it hands each serialized
/// export request to <see cref="ExportBuffer"/> and answers success at once, which tells the SDK
/// the buffer has taken it, not that it was delivered (<see cref="ExportFlushProcessor{T}"/> makes
/// flushes wait for that). The SDK's export thread therefore never waits on the network (its gRPC
/// send is sync-over-async, so under load it waited on a busy thread pool) and never runs its own
/// retry: the buffer's is the only one. Each exporter has its own handler, which tells the buffer whose
/// requests they are (<paramref name="destination"/>).
/// </summary>
internal sealed class ExportBufferHandler(ExportBuffer buffer, ExportDestination destination = ExportDestination.Primary) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    private static readonly MediaTypeHeaderValue ProtobufContentType = new("application/x-protobuf");

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Accept(request);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Accept(request));

    private HttpResponseMessage Accept(HttpRequestMessage request)
    {
        var payload = OtlpPayload.From(request, destination);
        if (payload is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        buffer.Add(payload);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Version = request.Version };
        if (payload.Grpc)
        {
            // An empty Export*ServiceResponse (uncompressed, zero length) and status OK.
            response.Content = new ByteArrayContent(new byte[5]);
            response.Content.Headers.ContentType = GrpcContentType;
            response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "0");
        }
        else
        {
            response.Content = new ByteArrayContent([]);
            response.Content.Headers.ContentType = ProtobufContentType;
        }

        return response;
    }
}
