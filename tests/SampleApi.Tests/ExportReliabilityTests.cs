using System.Diagnostics;
using System.Net;

namespace SampleApi.Tests;

/// <summary>
/// What a collector can and cannot do to the API: a stalled collector never holds up a request,
/// and an outage costs spans past a fixed bound, never memory. Every wait is on an event (an
/// export being held), never on a delay. (Flushing at shutdown is measured by bench/'s SIGTERM
/// scenario against a real process: see docs/benchmarks/README.md for why not here.)
/// </summary>
public class ExportReliabilityTests
{
    private const string SamplePath = "/sample?delayScale=0";
    private const int SpansPerRequest = 4;

    /// <summary>Long enough that no export times out or fires on its timer while a test runs.</summary>
    private const string Never = "600000";

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
