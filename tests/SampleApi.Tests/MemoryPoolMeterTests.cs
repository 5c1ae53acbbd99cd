using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests;

/// <summary>
/// Kestrel measures its buffer pool at every block rented and returned. ServiceDefaults drops that
/// meter, so no listener enables its instruments and Kestrel skips the measurements altogether.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public class MemoryPoolMeterTests
{
    [Fact]
    public async Task Kestrels_memory_pool_instruments_stay_disabled_while_hostings_are_enabled()
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{receiver.Port}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            },
        };
        _ = factory.Services; // starts the host, and with it the meter provider

        using var pool = new Meter(ServiceDefaultsExtensions.MemoryPoolMeter);
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        var rented = pool.CreateCounter<long>("aspnetcore.memory_pool.rented");
        var control = hosting.CreateCounter<long>("test.hosting.control");

        Assert.True(control.Enabled); // the provider listens to the ASP.NET Core meters
        Assert.False(rented.Enabled);
    }
}
