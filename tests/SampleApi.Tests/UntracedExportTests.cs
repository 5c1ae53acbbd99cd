using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using SampleApi.Tests.Aot;

namespace SampleApi.Tests;

/// <summary>
/// Telemetry about telemetry is a defect: with the HttpClient instrumentation on (ServiceDefaults adds
/// it), the export buffer's deliveries must not become spans, and the SDK's own exporters must hand
/// every request to the buffer on both protocols, or its retry and budgets silently stop applying.
/// </summary>
public class UntracedExportTests
{
    private const int Requests = 5;
    private const int SpansPerRequest = 4;
    private static readonly string[] ApplicationSpanNames = ["GET /sample", "sample1", "sample2", "sample3"];

    [Theory]
    [InlineData("grpc", OtlpReceiver.GrpcTracePath)]
    [InlineData("http/protobuf", OtlpReceiver.HttpTracePath)]
    public async Task The_receiver_sees_only_the_applications_spans_and_an_idle_app_stops_exporting(string protocol, string tracePath)
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: protocol == "grpc");
        using var factory = Exporting(receiver.Port, protocol);
        var client = factory.CreateClient();
        var traceIds = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var traceId = (await client.GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!.TraceId;
            await factory.WaitForSpansAsync(traceId, SpansPerRequest);
            traceIds.Add(traceId);
        }

        // A flush returns once its requests are delivered. A delivery traced as a span would be queued
        // by then, and the second flush would deliver that span too.
        var tracing = factory.Services.GetRequiredService<TracerProvider>();
        Assert.True(tracing.ForceFlush());
        var exportsAfterFirstFlush = receiver.Bodies(tracePath).Count;
        Assert.True(tracing.ForceFlush());

        var received = OtlpDecoder.Spans(receiver.Bodies(tracePath));
        // Activity listeners are process-wide, so other tests' hosts may add their own sample spans;
        // any other span here (an HTTP client span named POST) is an export that was traced.
        Assert.All(received, span => Assert.Contains(span.Name, ApplicationSpanNames));
        Assert.All(traceIds, traceId => Assert.Equal(
            ApplicationSpanNames.Order(), received.Where(span => span.TraceId == traceId).Select(span => span.Name).Order()));
        // Idle: after the first flush, nothing of this app's requests or of its deliveries is left to send
        // (other hosts' sample spans may still arrive, with their own trace ids).
        var afterFirstFlush = OtlpDecoder.Spans(receiver.Bodies(tracePath).Skip(exportsAfterFirstFlush));
        Assert.DoesNotContain(afterFirstFlush, span => traceIds.Contains(span.TraceId));
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task The_sdks_own_exporters_hand_every_request_to_the_export_buffer(string protocol)
    {
        // Nothing listens there: what the buffer holds could only have come from the SDK's exporter.
        using var down = new DownCollector();
        using var factory = Exporting(down.Port, protocol);
        var buffer = factory.Services.GetRequiredService<ExportBuffer>();
        var traceId = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!.TraceId;
        await factory.WaitForSpansAsync(traceId, SpansPerRequest);

        Assert.False(factory.Services.GetRequiredService<TracerProvider>().ForceFlush(timeoutMilliseconds: 200));
        await State.WaitUntilAsync(() => buffer.HeldItems(OtlpSignal.Traces) >= SpansPerRequest);
    }

    private static SampleApiFactory Exporting(int port, string protocol) => new()
    {
        Settings =
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            // Only flushes export: every request the receiver sees was caused by the test.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "600000",
        },
    };
}
