using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The signals a service exports over OTLP, decided by the standard settings: an
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns export on for every signal, a signal's own
/// <c>OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT</c> for that signal alone (as the OpenTelemetry
/// specification's exporter settings have it), and <c>OTEL_TRACES_EXPORTER</c>,
/// <c>OTEL_METRICS_EXPORTER</c> or <c>OTEL_LOGS_EXPORTER</c> = <c>none</c> turns one signal off
/// (<c>otlp</c>, the default, keeps it). The collector definition reads the same list, so every
/// signal exported has a pipeline to go to.
/// </summary>
public static class TelemetrySignals
{
    /// <summary>Spans.</summary>
    public const string Traces = "traces";

    /// <summary>Metric data points.</summary>
    public const string Metrics = "metrics";

    /// <summary>Log records.</summary>
    public const string Logs = "logs";

    /// <summary>The exporter value that keeps a signal.</summary>
    public const string OtlpExporter = "otlp";

    /// <summary>The exporter value that turns a signal off.</summary>
    public const string NoExporter = "none";

    internal const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Every signal ServiceDefaults can export, in pipeline order.</summary>
    public static IReadOnlyList<string> All { get; } = [Traces, Metrics, Logs];

    /// <summary>The setting that chooses a signal's exporter, e.g. <c>OTEL_METRICS_EXPORTER</c>.</summary>
    public static string ExporterSetting(string signal) => $"OTEL_{signal.ToUpperInvariant()}_EXPORTER";

    /// <summary>The setting that gives one signal its own endpoint, e.g. <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>; used as the full URL.</summary>
    public static string EndpointSettingOf(string signal) => SignalSetting(signal, "ENDPOINT");

    /// <summary>The signals exported over OTLP with <paramref name="configuration"/>; those without an endpoint are not.</summary>
    /// <exception cref="InvalidOperationException">An exporter setting holds something other than otlp or none.</exception>
    public static IReadOnlySet<string> Exported(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var exported = new HashSet<string>(StringComparer.Ordinal);
        var everySignal = !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);
        foreach (var signal in All)
        {
            if (!everySignal && string.IsNullOrWhiteSpace(configuration[EndpointSettingOf(signal)]))
            {
                continue;
            }

            var setting = ExporterSetting(signal);
            var value = configuration[setting]?.Trim();
            if (string.IsNullOrEmpty(value) || string.Equals(value, OtlpExporter, StringComparison.OrdinalIgnoreCase))
            {
                exported.Add(signal);
            }
            else if (!string.Equals(value, NoExporter, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{setting} is '{value}', which this service does not support. Set it to {OtlpExporter} " +
                    $"or {NoExporter} (this signal is not exported), or remove it for {OtlpExporter}.");
            }
        }

        return exported;
    }

    /// <summary>A signal's own variant of an <c>OTEL_EXPORTER_OTLP_*</c> setting, e.g. <c>OTEL_EXPORTER_OTLP_LOGS_HEADERS</c>.</summary>
    internal static string SignalSetting(string signal, string suffix) => $"OTEL_EXPORTER_OTLP_{signal.ToUpperInvariant()}_{suffix}";
}
