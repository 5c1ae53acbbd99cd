using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace SampleApi.Tests;

/// <summary>
/// What a collector can and cannot do to the API: a stalled collector never holds up a request,
/// a stopping host still delivers the spans it holds, an outage loses nothing within the export
/// buffer's budgets, and past them costs counted telemetry, never memory. Delivery is at least once
/// (a request whose answer timed out is sent again); no attempt times out here, so every span is
/// expected exactly once. Every wait is on an event or a state (an export arriving or being held,
/// the buffer holding what was sent), never on a delay.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public class ExportReliabilityTests
{
    private const string SamplePath = "/sample?delayScale=0";
    private const int SpansPerRequest = 4;

    /// <summary>One log record per step span.</summary>
    private const int StepLogRecordsPerRequest = SpansPerRequest - 1;

    /// <summary>Long enough that no export times out or fires on its timer while a test runs.</summary>
    private const string Never = "600000";

    /// <summary>A flush that cannot deliver reports so when this runs out.</summary>
    private const int UndeliveredFlushMilliseconds = 200;

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
    [InlineData("grpc", OtlpReceiver.GrpcTracePath, OtlpReceiver.GrpcLogsPath)]
    [InlineData("http/protobuf", OtlpReceiver.HttpTracePath, OtlpReceiver.HttpLogsPath)]
    public async Task A_host_stopped_right_after_requests_exports_every_span_and_log_record(string protocol, string tracePath, string logsPath)
    {
        await using var collector = await OtlpReceiver.StartAsync(http2Only: protocol == "grpc");
        using var factory = ExportingTo(collector, new()
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            // No timer export: whatever arrives was flushed by the stop.
            ["OTEL_BSP_SCHEDULE_DELAY"] = Never,
            ["OTEL_BLRP_SCHEDULE_DELAY"] = Never,
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
            await collector.WaitForCountAsync(tracePath, Convert.FromHexString(traceId), SpansPerRequest, FlushTimeout);
            await collector.WaitForCountAsync(logsPath, Convert.FromHexString(traceId), StepLogRecordsPerRequest, FlushTimeout);
        }

        Assert.All(traceIds, traceId =>
        {
            Assert.Equal(SpansPerRequest, collector.CountOccurrences(tracePath, Convert.FromHexString(traceId)));
            Assert.Equal(StepLogRecordsPerRequest, collector.CountOccurrences(logsPath, Convert.FromHexString(traceId)));
        });
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Every_span_and_log_record_created_while_the_collector_is_down_arrives_when_it_returns(string protocol)
    {
        var grpc = protocol == "grpc";
        using var down = new DownCollector();
        // No timer export: the flush below makes one request per signal, each several held blocks' worth.
        await using var factory = ExportingTo(down.Port, new() { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol, ["OTEL_BSP_SCHEDULE_DELAY"] = Never, ["OTEL_BLRP_SCHEDULE_DELAY"] = Never });
        var client = factory.CreateClient();
        var buffer = factory.Services.GetRequiredService<ExportBuffer>();

        var traceIds = await SampleTracesAsync(client, factory, requests: 40);
        // A flush says what happened: handed to the buffer, but not delivered.
        Assert.False(factory.Services.GetRequiredService<TracerProvider>().ForceFlush(UndeliveredFlushMilliseconds));
        Assert.False(factory.Services.GetRequiredService<LoggerProvider>().ForceFlush(UndeliveredFlushMilliseconds));
        // Handed to the buffer, and at least one delivery refused: created and exported while down.
        await State.WaitUntilAsync(() => buffer.HeldItems(OtlpSignal.Traces) >= SpansPerRequest * traceIds.Count
            && buffer.HeldItems(OtlpSignal.Logs) >= LogRecordsOf(factory, traceIds) && buffer.RetryableFailures > 0);

        await using var collector = await down.StartAsync(http2Only: grpc);
        var (tracePath, logsPath) = grpc ? (OtlpReceiver.GrpcTracePath, OtlpReceiver.GrpcLogsPath) : (OtlpReceiver.HttpTracePath, OtlpReceiver.HttpLogsPath);
        // Spans and log records both: the held-items check above also counts log records of no request
        // (hosting, the buffer's own warning), so some of these may reach the buffer only now.
        foreach (var traceId in traceIds)
        {
            await collector.WaitForAsync(tracePath, Convert.FromHexString(traceId), FlushTimeout);
            await collector.WaitForAsync(logsPath, Convert.FromHexString(traceId), FlushTimeout);
        }

        await factory.DisposeAsync(); // whatever else is held is flushed now: a late duplicate would show below
        Assert.All(traceIds, traceId =>
        {
            Assert.Equal(SpansPerRequest, collector.CountOccurrences(tracePath, Convert.FromHexString(traceId)));
            Assert.Equal(factory.Logs.Count(log => log.TraceId.ToHexString() == traceId), collector.CountOccurrences(logsPath, Convert.FromHexString(traceId)));
        });
        Assert.True(collector.GzippedExports > 0, "Nothing held was sent gzipped.");
    }

    [Fact]
    public async Task Past_the_span_budget_spans_are_dropped_counted_in_a_metric_that_reaches_the_collector_and_memory_stays_within_it()
    {
        const int MaxBytes = 32 * 1024;
        using var down = new DownCollector();
        await using var factory = ExportingTo(down.Port, new()
        {
            ["OTEL_BSP_SCHEDULE_DELAY"] = "10",
            ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "16",
            ["OtlpExportBuffer:TracesMaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:OpenTelemetry:LogLevel:Default"] = "None",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
        });
        var client = factory.CreateClient();
        var buffer = factory.Services.GetRequiredService<ExportBuffer>();
        using var drops = new DropCounter(buffer);

        // Until the bound has cost more than the first batches' worth of spans (oldest first).
        var traceIds = new List<string>();
        while (drops.Spans < SpansPerRequest * 20)
        {
            traceIds.AddRange(await SampleTracesAsync(client, factory, requests: 10));
            Assert.InRange(buffer.HeldBytesOf(OtlpSignal.Traces), 0, MaxBytes);
        }

        await using var collector = await down.StartAsync(http2Only: false);
        // Where an operator sees it: the buffer's drop count and the SDK's own queue metric, over OTLP.
        Assert.True(await collector.WaitForAsync(OtlpReceiver.HttpMetricsPath, "otel.sdk.exporter.span.exported"u8.ToArray(), FlushTimeout));
        Assert.True(await collector.WaitForAsync(OtlpReceiver.HttpMetricsPath, "queue_full"u8.ToArray(), FlushTimeout));
        Assert.True(await collector.WaitForAsync(OtlpReceiver.HttpMetricsPath, "otel.sdk.processor.span.processed"u8.ToArray(), FlushTimeout));
        await factory.DisposeAsync(); // flushes every span the SDK still holds through the buffer

        // Program's own app.Run() may be the disposal that flushes, so DisposeAsync returning is not the
        // event: wait until every span is delivered or counted as dropped (or fail past the bound).
        var created = SpansPerRequest * traceIds.Count;
        int Delivered() => traceIds.Sum(traceId => collector.CountOccurrences(OtlpReceiver.HttpTracePath, Convert.FromHexString(traceId)));
        await State.WaitUntilAsync(() => Delivered() + buffer.DroppedItems(OtlpSignal.Traces) >= created);
        var delivered = Delivered();
        // Some spans were lost, the oldest first; the newest ones, within the span budget, arrived
        // (no other signal's exports can evict them).
        Assert.InRange(delivered, 1, created - 1);
        // Every lost span was counted, whatever the reason (most as queue_full; a batch still held when
        // the host stopped as shutdown). The count may also hold spans of other hosts in this process:
        // activity listeners are process-wide.
        Assert.InRange(buffer.DroppedItems(OtlpSignal.Traces), created - delivered, long.MaxValue);
    }

    private static SampleApiFactory ExportingTo(OtlpReceiver collector, Dictionary<string, string?> settings) =>
        ExportingTo(collector.Port, settings);

    private static SampleApiFactory ExportingTo(int port, Dictionary<string, string?> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}";
        settings.TryAdd("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        return new SampleApiFactory { Settings = settings };
    }

    /// <summary>Sends requests and returns their trace ids once the server has ended every span of them.</summary>
    private static async Task<List<string>> SampleTracesAsync(HttpClient client, SampleApiFactory factory, int requests)
    {
        var traceIds = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            traceIds.Add((await client.GetFromJsonAsync<SampleBody>(SamplePath))!.TraceId);
        }

        foreach (var traceId in traceIds)
        {
            Assert.Equal(SpansPerRequest, (await factory.WaitForSpansAsync(traceId, SpansPerRequest)).Count);
        }

        return traceIds;
    }

    private static int LogRecordsOf(SampleApiFactory factory, List<string> traceIds) =>
        factory.Logs.Count(log => traceIds.Contains(log.TraceId.ToHexString()));

    /// <summary>Sums <c>otel.sdk.exporter.span.exported</c> with <c>error.type=queue_full</c> from one buffer's meter.</summary>
    private sealed class DropCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _spans;

        public DropCounter(ExportBuffer buffer)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == buffer.Meter && instrument.Name == "otel.sdk.exporter.span.exported")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "error.type" && (string?)tag.Value == "queue_full")
                    {
                        Interlocked.Add(ref _spans, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Spans => Interlocked.Read(ref _spans);

        public void Dispose() => _listener.Dispose();
    }
}
