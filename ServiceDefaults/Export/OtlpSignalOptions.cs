using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A signal's own <c>OTEL_EXPORTER_OTLP_{SIGNAL}_*</c> settings. <c>UseOtlpExporter</c> reads them;
/// the per-signal <c>AddOtlpExporter</c> reads only the settings shared by every signal, so a signal
/// exported on its own gets them from here, with the meaning the specification gives them (a signal's
/// endpoint is its full URL).
/// </summary>
internal static class OtlpSignalOptions
{
    internal const string ProtocolSetting = "OTEL_EXPORTER_OTLP_PROTOCOL";
    internal const string HeadersSetting = "OTEL_EXPORTER_OTLP_HEADERS";
    internal const string Grpc = "grpc";
    internal const string HttpProtobuf = "http/protobuf";
    private const string Protocol = "PROTOCOL";
    private const string Headers = "HEADERS";
    private const string Timeout = "TIMEOUT";

    /// <summary>Sets on <paramref name="options"/> what <paramref name="signal"/>'s own settings say.</summary>
    public static void Apply(OtlpExporterOptions options, IConfiguration configuration, string signal)
    {
        if (Uri.TryCreate(configuration[TelemetrySignals.EndpointSettingOf(signal)], UriKind.Absolute, out var endpoint))
        {
            options.Endpoint = endpoint; // the setter makes it the full URL: no /v1/{signal} appended
        }

        switch (configuration[TelemetrySignals.SignalSetting(signal, Protocol)]?.Trim())
        {
            case Grpc:
#pragma warning disable CS0618 // gRPC is obsolete in the SDK but still what the AppHost's collector route uses
                options.Protocol = OtlpExportProtocol.Grpc;
#pragma warning restore CS0618
                break;
            case HttpProtobuf:
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                break;
        }

        if (configuration[TelemetrySignals.SignalSetting(signal, Headers)] is { } headers)
        {
            options.Headers = headers;
        }

        if (int.TryParse(configuration[TelemetrySignals.SignalSetting(signal, Timeout)], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout))
        {
            options.TimeoutMilliseconds = timeout;
        }
    }

    /// <summary>
    /// Sets a signal's <see cref="OtlpCopy"/> exporter: the copy endpoint as the full URL, OTLP/HTTP protobuf, and the copy's
    /// own headers only, never the shared <c>OTEL_EXPORTER_OTLP_HEADERS</c> the SDK read (they hold the dashboard's API key).
    /// </summary>
    public static void ApplyCopy(OtlpExporterOptions options, IConfiguration configuration, string signal, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Headers = OtlpCopy.HeadersOf(configuration, signal);
    }

    /// <summary>The protocol a signal is exported with: its own setting, else the shared one, else the SDK's default, gRPC.</summary>
    public static string ProtocolOf(IConfiguration configuration, string signal) =>
        (NonBlank(configuration[TelemetrySignals.SignalSetting(signal, Protocol)]) ?? NonBlank(configuration[ProtocolSetting]) ?? Grpc).Trim();

    /// <summary>The headers a signal is exported with: its own setting, else the shared one.</summary>
    public static string? HeadersOf(IConfiguration configuration, string signal) =>
        configuration[TelemetrySignals.SignalSetting(signal, Headers)] ?? configuration[HeadersSetting];

    /// <summary>Where a signal goes: its own endpoint, else the shared one (its host is what matters to callers).</summary>
    public static Uri? EndpointOf(IConfiguration configuration, string signal) =>
        Uri.TryCreate(NonBlank(configuration[TelemetrySignals.EndpointSettingOf(signal)]) ?? configuration[TelemetrySignals.EndpointSetting], UriKind.Absolute, out var uri)
            ? uri
            : null;

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
