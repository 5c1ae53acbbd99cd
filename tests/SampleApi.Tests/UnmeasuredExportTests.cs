using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests;

/// <summary>
/// Telemetry about telemetry is a defect for metrics too. The runtime measures every DNS lookup of the
/// process on one static meter, and the export sender resolves its endpoint's name: ServiceDefaults
/// drops that meter, since its lookups cannot be told from the application's.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public class UnmeasuredExportTests
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_export_senders_dns_lookup_of_its_endpoint_is_not_exported()
    {
        using var lookups = new LocalhostLookups();
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                // A name, not an address: the sender resolves it when it connects.
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://localhost:{receiver.Port}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            },
        };
        await factory.CreateClient().GetAsync("/sample?delayScale=0");

        // The control: the lookup happened, so a provider listening to the DNS meter would have it.
        await State.WaitUntilAsync(() => lookups.Count > 0);
        var clock = "http.server.request.duration"u8.ToArray();
        var exported = receiver.CountOccurrences(OtlpReceiver.HttpMetricsPath, clock);
        // Cumulative exports repeat every instrument; the second after the lookup was collected after it.
        Assert.True(await receiver.WaitForCountAsync(OtlpReceiver.HttpMetricsPath, clock, exported + 2, ArrivalTimeout));

        Assert.Equal(0, receiver.CountOccurrences(OtlpReceiver.HttpMetricsPath, "dns.lookup.duration"u8.ToArray()));
    }

    /// <summary>Counts the runtime's <c>dns.lookup.duration</c> measurements of <c>localhost</c>, from anywhere in the process.</summary>
    private sealed class LocalhostLookups : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public LocalhostLookups()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MetricViews.NameResolutionMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var (key, value) in tags)
                {
                    if (key == "dns.question.name" && value is "localhost")
                    {
                        Interlocked.Increment(ref _count);
                    }
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
