using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests;

/// <summary>
/// The metric streams ServiceDefaults changes: Kestrel's buffer pool meter, measured at every block
/// rented and returned, is dropped, so no listener enables its instruments and Kestrel skips the
/// measurements; meters whose tags are bounded by construction keep fewer points than the SDK's 2000.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public class MetricViewsTests
{
    private const int DistinctTags = MetricViews.BoundedCardinality + 50;
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Kestrels_memory_pool_instruments_stay_disabled_while_hostings_are_enabled()
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = StartedApi(receiver);

        using var pool = new Meter(MetricViews.MemoryPoolMeter);
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        var rented = pool.CreateCounter<long>("aspnetcore.memory_pool.rented");
        var control = hosting.CreateCounter<long>("test.hosting.control");

        Assert.True(control.Enabled); // the provider listens to the ASP.NET Core meters
        Assert.False(rented.Enabled);
    }

    [Fact]
    public async Task A_runtime_meter_stream_overflows_past_its_bound_while_an_aspnetcore_one_keeps_every_point()
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = StartedApi(receiver);

        using var runtime = new Meter("System.Runtime");
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        var bounded = runtime.CreateCounter<long>("test.runtime.bounded");
        var unbounded = hosting.CreateCounter<long>("test.hosting.unbounded");
        for (var i = 0; i < DistinctTags; i++)
        {
            bounded.Add(1, new KeyValuePair<string, object?>("test.tag", $"runtime-{i:D3}"));
            unbounded.Add(1, new KeyValuePair<string, object?>("test.tag", $"hosting-{i:D3}"));
        }

        var last = Encoding.UTF8.GetBytes($"hosting-{DistinctTags - 1:D3}");
        Assert.True(await receiver.WaitForCountAsync(OtlpReceiver.HttpMetricsPath, last, 1, ArrivalTimeout));

        int Exported(string prefix) => Enumerable.Range(0, DistinctTags)
            .Count(i => receiver.CountOccurrences(OtlpReceiver.HttpMetricsPath, Encoding.UTF8.GetBytes($"{prefix}-{i:D3}")) > 0);
        Assert.Equal(DistinctTags, Exported("hosting"));
        Assert.InRange(Exported("runtime"), 1, MetricViews.BoundedCardinality);
        Assert.True(receiver.CountOccurrences(OtlpReceiver.HttpMetricsPath, "otel.metric.overflow"u8.ToArray()) > 0);
    }

    private static SampleApiFactory StartedApi(OtlpReceiver receiver)
    {
        var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{receiver.Port}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            },
        };
        _ = factory.Services; // starts the host, and with it the meter provider
        return factory;
    }
}
