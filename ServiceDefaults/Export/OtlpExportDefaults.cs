using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Batch-export defaults chosen by measurement (bench/, docs/benchmarks/README.md), set under the
/// standard OpenTelemetry names as the lowest-precedence configuration source, so that
/// <c>OTEL_BSP_*</c> and <c>OTEL_BLRP_*</c> from the environment, appsettings or the command line
/// still decide.
/// </summary>
internal static class OtlpExportDefaults
{
    /// <summary>
    /// Spans (and, separately, log records) waiting for export. The SDK's 2048 overflowed under full
    /// load (about 5% of spans lost); a fuller queue drops new items, so memory stays bounded even
    /// when the collector is away.
    /// </summary>
    public const int MaxQueueSize = 16384;

    /// <summary>Items per export request: fewer, larger requests cost less CPU per span on both ends.</summary>
    public const int MaxExportBatchSize = 2048;

    /// <summary>The settings, by their standard names.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["OTEL_BSP_MAX_QUEUE_SIZE"] = MaxQueueSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = MaxExportBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_BLRP_MAX_QUEUE_SIZE"] = MaxQueueSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"] = MaxExportBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Adds <see cref="Settings"/> beneath every configuration source already present or added later.</summary>
    public static void AddTo(IConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
}
