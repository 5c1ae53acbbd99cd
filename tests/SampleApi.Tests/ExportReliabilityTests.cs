using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace SampleApi.Tests;

/// <summary>
/// What a collector can and cannot do to the API: a stalled collector never holds up a request,
/// a stopping host still delivers the spans it holds, and an outage costs spans past a fixed bound,
/// never memory. Every wait is on an event (an export arriving or being held), never on a delay.
/// </summary>
public class ExportReliabilityTests
{
    private const string SamplePath = "/sample?delayScale=0";
    private const int SpansPerRequest = 4;

    /// <summary>Long enough that no export times out or fires on its timer while a test runs.</summary>
    private const string Never = "600000";

    /// <summary>Far longer than a flush takes here (about 1 s on a loaded box); reached only when spans are lost.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_complete_while_a_trace_export_is_stuck_at_the_collector()
    {
        await using var collector = await OtlpReceiver.StartAsync(http2Only: false, holdTraceExports: true);
        using var factory = ExportingTo(collector, new() { ["OTEL_BSP_SCHEDULE_DELAY"] = "10", ["OTEL_EXPORTER_OTLP_TIMEOUT"] = Never });
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(SamplePath)).StatusCode);
        await collector.FirstHeldExport;

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(SamplePath)).StatusCode);
        }

        // All of the above finished while the export was still unanswered.
        Assert.Equal(0, collector.AnsweredTraceExports);
    }

    [Theory]
    [InlineData("grpc", OtlpReceiver.GrpcTracePath)]
    [InlineData("http/protobuf", OtlpReceiver.HttpTracePath)]
    public async Task A_host_stopped_right_after_requests_exports_every_span(string protocol, string tracePath)
    {
        await using var collector = await OtlpReceiver.StartAsync(http2Only: protocol == "grpc");
        var factory = ExportingTo(collector, new()
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            // No timer export: whatever arrives was flushed by the stop.
            ["OTEL_BSP_SCHEDULE_DELAY"] = Never,
        });
        var client = factory.CreateClient();
        var traceIds = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            traceIds.Add((await client.GetFromJsonAsync<SampleBody>(SamplePath))!.TraceId);
        }

        // The test server hands over a response before the server has ended its spans: stop only
        // once every span exists, or a span ending after the stop would be lost to this test.
        foreach (var traceId in traceIds)
        {
            Assert.Equal(SpansPerRequest, (await factory.WaitForSpansAsync(traceId, SpansPerRequest)).Count);
        }

        // Program's own app.Run() stops and disposes this host too, on its entry-point thread, as
        // soon as the factory stops it. Whichever disposal starts first flushes; the other returns at
        // once, so Dispose returning is not the event to wait for (in about half the runs it returned
        // before the flush began). Arrival is: with no timer export, only the stop can send them.
        factory.Dispose();
        foreach (var traceId in traceIds)
        {
            await collector.WaitForAsync(tracePath, Convert.FromHexString(traceId), FlushTimeout);
        }

        Assert.All(traceIds, traceId =>
            Assert.Equal(SpansPerRequest, collector.CountOccurrences(tracePath, Convert.FromHexString(traceId))));
    }

    [Fact]
    public async Task A_collector_outage_drops_spans_past_the_queue_bound_instead_of_buffering_them()
    {
        const int QueueBound = 64;
        const int RequestsDuringOutage = 50;
        await using var collector = await OtlpReceiver.StartAsync(http2Only: false, holdTraceExports: true);
        var factory = ExportingTo(collector, new()
        {
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = QueueBound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "16",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "10",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = Never,
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(SamplePath)).StatusCode);
        await collector.FirstHeldExport;

        // The exporter is stuck: these spans can only queue, up to the bound.
        var outageTrace = ActivityTraceId.CreateRandom();
        for (var i = 0; i < RequestsDuringOutage; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, SamplePath);
            request.Headers.Add("traceparent", $"00-{outageTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        collector.Release();
        await factory.DisposeAsync();

        var delivered = collector.CountOccurrences(OtlpReceiver.HttpTracePath, Convert.FromHexString(outageTrace.ToHexString()));
        Assert.InRange(delivered, 0, QueueBound);
        Assert.True(delivered < SpansPerRequest * RequestsDuringOutage);
    }

    private static SampleApiFactory ExportingTo(OtlpReceiver collector, Dictionary<string, string?> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
        settings.TryAdd("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        return new SampleApiFactory { Settings = settings };
    }
}
