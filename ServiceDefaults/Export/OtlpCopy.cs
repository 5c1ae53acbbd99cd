using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A second destination for the signals a service exports, section <c>OtlpCopy</c>: an exported signal with
/// <c>OtlpCopy:{Traces,Metrics,Logs}Endpoint</c> is also sent there, over OTLP/HTTP protobuf, by an exporter of
/// its own. The standard <c>OTEL_EXPORTER_OTLP_*</c> settings give each signal one destination; the AppHost uses
/// this one to send to the dashboard and straight to AWS at once. A copy endpoint is the full URL, as a
/// signal's own standard endpoint is; AWS hosts are signed like any other export (docs/aws-direct.md).
/// </summary>
public static class OtlpCopy
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OtlpCopy";

    /// <summary>Headers of the logs copy only, in the OTLP form <c>name=value,name=value</c> (CloudWatch Logs' group and stream).</summary>
    public const string LogsHeadersSetting = SectionName + ":LogsHeaders";

    /// <summary>The setting that sends a copy of <paramref name="signal"/> somewhere, e.g. <c>OtlpCopy:TracesEndpoint</c>.</summary>
    public static string EndpointSettingOf(string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        return $"{SectionName}:{char.ToUpperInvariant(signal[0])}{signal[1..]}Endpoint";
    }

    /// <summary>The name of the exporter that sends a signal's copy (each exporter's options are named).</summary>
    internal static string ExporterName(string signal) => $"{signal}-copy";

    /// <summary>The headers a signal's copy is sent with: only the logs copy has any.</summary>
    internal static string HeadersOf(IConfiguration configuration, string signal) =>
        signal == TelemetrySignals.Logs ? configuration[LogsHeadersSetting]?.Trim() ?? string.Empty : string.Empty;

    /// <summary>Each exported signal's copy endpoint; empty when none is set.</summary>
    /// <exception cref="InvalidOperationException">An endpoint is not an http(s) URL, or names a signal that is not exported, or headers have no endpoint.</exception>
    internal static IReadOnlyDictionary<string, Uri> Endpoints(IConfiguration configuration, IReadOnlySet<string> exported)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var signal in TelemetrySignals.All)
        {
            var setting = EndpointSettingOf(signal);
            if (configuration[setting] is not { } value || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidOperationException(
                    $"{setting} is '{value}', which is not an http or https URL. Set it to the full URL of an OTLP/HTTP endpoint " +
                    $"(e.g. https://xray.eu-west-2.amazonaws.com/v1/traces), or remove it to send {signal} to one place only.");
            }

            // A copy of nothing would be a setting that silently does nothing.
            if (!exported.Contains(signal))
            {
                throw new InvalidOperationException(
                    $"{setting} is set, but {signal} are not exported: give them an endpoint ({TelemetrySignals.EndpointSetting} or " +
                    $"{TelemetrySignals.EndpointSettingOf(signal)}) and leave {TelemetrySignals.ExporterSetting(signal)} unset, or remove {setting}.");
            }

            endpoints[signal] = uri;
        }

        if (!string.IsNullOrWhiteSpace(configuration[LogsHeadersSetting]) && !endpoints.ContainsKey(TelemetrySignals.Logs))
        {
            throw new InvalidOperationException(
                $"{LogsHeadersSetting} is set, but {EndpointSettingOf(TelemetrySignals.Logs)} is not: set both, or remove {LogsHeadersSetting}.");
        }

        return endpoints;
    }
}
