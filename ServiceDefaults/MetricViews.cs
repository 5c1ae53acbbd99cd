using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>What ServiceDefaults changes in the metric streams the instrumentation subscribes to (docs/benchmarks/README.md).</summary>
internal static class MetricViews
{
    /// <summary>The runtime's DNS meter (<c>dns.lookup.duration</c>), which the HttpClient instrumentation subscribes to.</summary>
    public const string NameResolutionMeter = "System.Net.NameResolution";

    /// <summary>Kestrel's buffer pool meter (<c>aspnetcore.memory_pool.*</c>), which the ASP.NET Core instrumentation subscribes to.</summary>
    public const string MemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    /// <summary>The OpenTelemetry SDK's own meter: <c>otel.sdk.processor.span.processed</c> and <c>.log.processed</c>, with <c>error.type=queue_full</c> for drops.</summary>
    public const string SdkSelfObservabilityMeter = "otel.sdk.experimental";

    /// <summary>
    /// Points kept per stream of a meter whose tags are bounded by construction. The SDK allocates a
    /// stream's 2000 points up front, about 170 KB per instrument; past the limit a stream
    /// adds to one overflow point (<c>otel.metric.overflow</c>) instead of a new one.
    /// </summary>
    public const int BoundedCardinality = 100;

    private const string RuntimeMeter = "System.Runtime";
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>Tagged with the exception's type, which no code bounds.</summary>
    private const string ExceptionsInstrument = "dotnet.exceptions";

    /// <summary>One view for every instrument: two views matching the same one would export it twice.</summary>
    public static MetricStreamConfiguration? Select(Instrument instrument) => instrument switch
    {
        // The runtime measures every DNS lookup of the process on one static meter, the export sender's
        // own (the collector's or dashboard's name, at each new connection) among them, and nothing tells
        // them apart: exporting it would be telemetry about telemetry.
        { Meter.Name: NameResolutionMeter } => MetricStreamConfiguration.Drop,
        // Kestrel measures its buffer pool at every block rented and returned, nine times a SampleApi
        // request: 3% of a traced request's instructions for figures about Kestrel's internals.
        { Meter.Name: MemoryPoolMeter } => MetricStreamConfiguration.Drop,
        // Generations, CPU modes, listening endpoints, signals and outcomes: a few points each.
        { Name: not ExceptionsInstrument, Meter.Name: RuntimeMeter or KestrelMeter or SdkSelfObservabilityMeter or ExportReport.MeterName }
            => new MetricStreamConfiguration { CardinalityLimit = BoundedCardinality },
        _ => null,
    };
}
