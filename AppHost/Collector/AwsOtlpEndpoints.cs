using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// AWS's OTLP endpoints per signal, in one place for every route that sends to them: the collector's
/// exporters and, on the direct EKS route, SampleApi's own per-signal endpoint variables. Traces go to X-Ray,
/// logs to CloudWatch Logs, metrics to CloudWatch (CloudWatch User Guide, "OTLP Endpoints" and "Send metrics
/// using OpenTelemetry"; see docs/aws-direct.md § Sources).
/// </summary>
internal static class AwsOtlpEndpoints
{
    /// <summary>The SigV4 service names, which are also the endpoints' host prefixes.</summary>
    public const string TracesService = "xray";
    public const string LogsService = "logs";
    public const string MetricsService = "monitoring";

    public const string TracesPath = "/v1/traces";
    public const string LogsPath = "/v1/logs";
    public const string MetricsPath = "/v1/metrics";

    /// <summary>The endpoint of <paramref name="signal"/> (<see cref="TelemetrySignals"/>) in <paramref name="region"/>.</summary>
    public static string For(string signal, string region) => signal switch
    {
        TelemetrySignals.Traces => Traces(region),
        TelemetrySignals.Logs => Logs(region),
        TelemetrySignals.Metrics => Metrics(region),
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Not a signal ServiceDefaults exports."),
    };

    /// <summary>
    /// The logs endpoint's headers in the OTLP form <c>name=value,name=value</c>: the log group and stream to write
    /// to, which must exist (the endpoint does not create them).
    /// </summary>
    public static string LogsHeaders(AwsTelemetrySettings telemetry) =>
        $"{CollectorConfig.LogGroupHeader}={telemetry.LogGroup},{CollectorConfig.LogStreamHeader}={telemetry.LogStream}";

    /// <summary>X-Ray's OTLP traces endpoint in <paramref name="region"/>.</summary>
    public static string Traces(string region) => Url(TracesService, region, TracesPath);

    /// <summary>CloudWatch Logs' OTLP logs endpoint in <paramref name="region"/>.</summary>
    public static string Logs(string region) => Url(LogsService, region, LogsPath);

    /// <summary>CloudWatch's OTLP metrics endpoint in <paramref name="region"/>.</summary>
    public static string Metrics(string region) => Url(MetricsService, region, MetricsPath);

    private static string Url(string service, string region, string path) => $"https://{AwsRegion.ServiceHost(service, region)}{path}";
}
