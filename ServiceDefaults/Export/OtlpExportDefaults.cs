using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Batch-export queue sizes chosen by measurement (bench/, docs/benchmarks/README.md), set under the
/// standard OpenTelemetry names as the lowest-precedence configuration source, so that
/// <c>OTEL_BSP_*</c> and <c>OTEL_BLRP_*</c> from the environment, appsettings or the command line
/// still decide. The batch size stays the SDK's 512: an export only hands the batch to the export
/// buffer, so larger batches save no round trips, and they keep more spans and log records alive
/// across collections (2048 cost about 10 MB of resident memory and 5% more instructions a request).
/// </summary>
internal static class OtlpExportDefaults
{
    /// <summary>
    /// Spans (and, separately, log records) waiting for export. The SDK's 2048 overflowed under full
    /// load (about 5% of spans lost); a fuller queue drops new items, so memory stays bounded even
    /// when the collector is away.
    /// </summary>
    public const int MaxQueueSize = 16384;

    /// <summary>The settings, by their standard names.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["OTEL_BSP_MAX_QUEUE_SIZE"] = MaxQueueSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_BLRP_MAX_QUEUE_SIZE"] = MaxQueueSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Adds <see cref="Settings"/> beneath every configuration source already present or added later.</summary>
    public static void AddTo(IConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
}
