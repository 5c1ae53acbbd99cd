using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Where the collector puts telemetry in AWS: the trace route, the CloudWatch Logs group and stream for
/// log records, the metrics route and, for EMF, the CloudWatch namespace and the log group it writes to. Read from
/// one configuration section (<c>AWS</c> for the local run, <c>Eks</c> for the EKS bundle), with defaults
/// that work in a fresh account once the guide's commands have created the log groups.
/// </summary>
/// <param name="TraceExport">The trace route.</param>
/// <param name="MetricsExport">The metrics route.</param>
/// <param name="LogGroup">The log group for log records; must exist (the OTLP logs endpoint does not create it).</param>
/// <param name="LogStream">The stream in <paramref name="LogGroup"/>; must exist.</param>
/// <param name="MetricsNamespace">The CloudWatch metrics namespace (EMF only).</param>
/// <param name="MetricsLogGroup">The log group awsemf writes its embedded-metric records to; must exist (EMF only).</param>
/// <param name="MetricsLogStream">The stream in <paramref name="MetricsLogGroup"/>; must exist (EMF only).</param>
internal sealed partial record AwsTelemetrySettings(
    TraceExport TraceExport,
    MetricsExport MetricsExport,
    string LogGroup,
    string LogStream,
    string MetricsNamespace,
    string MetricsLogGroup,
    string MetricsLogStream)
{
    public const string DefaultLogGroup = "/aspire-xray/logs";
    public const string DefaultLogStream = "otlp";
    public const string DefaultMetricsNamespace = "AspireXRay";
    public const string DefaultMetricsLogGroup = "/aspire-xray/metrics";
    public const string DefaultMetricsLogStream = "emf";

    /// <summary>Every default: OTLP traces and metrics, the default groups, streams and namespace.</summary>
    public static AwsTelemetrySettings Default { get; } = new(
        TraceExport.Otlp, MetricsExport.Otlp, DefaultLogGroup, DefaultLogStream, DefaultMetricsNamespace, DefaultMetricsLogGroup, DefaultMetricsLogStream);

    /// <summary>Reads and checks the settings under <paramref name="section"/>; unset ones take their default.</summary>
    /// <param name="configuration">The AppHost's configuration.</param>
    /// <param name="section"><c>AWS</c> (local run) or <c>Eks</c> (the EKS bundle).</param>
    /// <param name="whereToSet">How a user sets a key there, e.g. <c>in AppHost/appsettings.json, or with --Eks:LogGroup=VALUE</c>.</param>
    /// <exception cref="InvalidOperationException">A value is malformed; the message names the setting and how to fix it.</exception>
    public static AwsTelemetrySettings Read(IConfiguration configuration, string section, Func<string, string> whereToSet)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(whereToSet);
        var values = configuration.GetSection(section);
        string Value(string name, string fallback, Regex pattern, string expected) =>
            Check($"{section}:{name}", values[name], pattern, expected, whereToSet) ?? fallback;

        return new AwsTelemetrySettings(
            ReadRoute($"{section}:{nameof(TraceExport)}", values[nameof(TraceExport)], TraceExport.Otlp, whereToSet, "trace route",
                "Set it to otlp (X-Ray's OTLP endpoint, needs Transaction Search) or xray (the awsxray exporter, for accounts without it)"),
            ReadRoute($"{section}:{nameof(MetricsExport)}", values[nameof(MetricsExport)], MetricsExport.Otlp, whereToSet, "metrics route",
                "Set it to otlp (CloudWatch's OTLP metrics endpoint) or emf (the awsemf exporter, two metrics in a log group)"),
            Value(nameof(LogGroup), DefaultLogGroup, LogGroupPattern(), LogGroupRule),
            Value(nameof(LogStream), DefaultLogStream, LogStreamPattern(), LogStreamRule),
            Value(nameof(MetricsNamespace), DefaultMetricsNamespace, NamespacePattern(), "a CloudWatch namespace: 1 to 255 letters, digits or any of .-_/#: and spaces, not starting with 'AWS/'"),
            Value(nameof(MetricsLogGroup), DefaultMetricsLogGroup, LogGroupPattern(), LogGroupRule),
            Value(nameof(MetricsLogStream), DefaultMetricsLogStream, LogStreamPattern(), LogStreamRule));
    }

    // Both routes default to OTLP.
    private const string DefaultRouteName = "otlp";

    private const string LogGroupRule = "a CloudWatch log group name: 1 to 512 letters, digits or any of ._-/#";
    // Stricter than CloudWatch (which allows all but ':' and '*'), so a name is safe in the generated scripts.
    private const string LogStreamRule = "a CloudWatch log stream name: 1 to 512 letters, digits or any of ._-/#";

    private static T ReadRoute<T>(string key, string? value, T fallback, Func<string, string> whereToSet, string what, string choices)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return SettingNames.Match<T>(value) ?? throw new InvalidOperationException(
            $"{key} is '{value}', which is not a {what}. {choices} {whereToSet(key)}, or remove it for {DefaultRouteName}.");
    }

    private static string? Check(string key, string? value, Regex pattern, string expected, Func<string, string> whereToSet)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return pattern.IsMatch(trimmed)
            ? trimmed
            : throw new InvalidOperationException(
                $"{key} is '{value}', which is not valid. Set it to {expected} {whereToSet(key)}, or remove it for the default.");
    }

    // CloudWatch Logs' CreateLogGroup name rule; PutMetricData's namespace rule.
    [GeneratedRegex(@"^[.\-_/#A-Za-z0-9]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex LogGroupPattern();

    [GeneratedRegex(@"^[.\-_/#A-Za-z0-9]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex LogStreamPattern();

    [GeneratedRegex(@"^(?!AWS/)[0-9A-Za-z.\-_/#: ]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();
}
