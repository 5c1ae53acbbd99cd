using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SampleApi.Tests;

/// <summary>
/// The OTLP exporter is configured by the standard variables alone. A bare Kestrel receiver
/// stands in for the collector and records what arrives; the trace id's 16 bytes appear verbatim
/// in the protobuf body, for both protocols.
/// </summary>
public class OtlpExportTests
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("grpc", "/opentelemetry.proto.collector.trace.v1.TraceService/Export")]
    [InlineData("http/protobuf", "/v1/traces")]
    public async Task Spans_are_exported_with_the_protocol_the_standard_variables_name(string protocol, string tracePath)
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: protocol == "grpc");
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            },
        };

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        var traceIdBytes = Convert.FromHexString(body.TraceId);
        Assert.True(
            await receiver.WaitForAsync(tracePath, traceIdBytes, ArrivalTimeout),
            $"No {protocol} export to {tracePath} carried trace {body.TraceId}; saw: {string.Join(", ", receiver.Paths)}");
    }

    [Fact]
    public async Task Unreachable_collector_never_fails_or_blocks_a_request()
    {
        using var factory = new SampleApiFactory
        {
            // Port 9 (discard) on loopback: nothing listens there.
            Settings = { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9", ["OTEL_BSP_SCHEDULE_DELAY"] = "10" },
        };
        var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/sample?delayScale=0");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        private OtlpReceiver(WebApplication app) => _app = app;

        public string Endpoint => _app.Urls.Single();

        public IEnumerable<string> Paths => _received.Select(request => request.Path).Distinct();

        public static async Task<OtlpReceiver> StartAsync(bool http2Only)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
                listen.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2));
            var app = builder.Build();
            var receiver = new OtlpReceiver(app);
            app.Run(receiver.ReceiveAsync);
            await app.StartAsync();
            return receiver;
        }

        public async Task<bool> WaitForAsync(string path, byte[] needle, TimeSpan timeout)
        {
            using var cancellation = new CancellationTokenSource(timeout);
            while (!cancellation.IsCancellationRequested)
            {
                if (_received.Any(request => request.Path == path && request.Body.AsSpan().IndexOf(needle) >= 0))
                {
                    return true;
                }

                await Task.Delay(50);
            }

            return false;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private async Task ReceiveAsync(HttpContext context)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue((context.Request.Path, body.ToArray()));

            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                // An empty ExportTraceServiceResponse: uncompressed flag, zero length; then status OK.
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
            }
            else
            {
                context.Response.ContentType = "application/x-protobuf";
            }
        }
    }
}
