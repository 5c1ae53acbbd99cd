using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Settings of the export buffer (<see cref="ExportBuffer"/>), section <c>OtlpExportBuffer</c>, plus
/// the standard <c>OTEL_EXPORTER_OTLP_TIMEOUT</c> for each delivery attempt and
/// <c>OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE</c>, which decides whether a metrics request
/// supersedes the one before it.
/// </summary>
internal sealed record ExportBufferSettings(
    bool Enabled, long TracesMaxBytes, long LogsMaxBytes, long MetricsMaxBytes, TimeSpan MaxAge, TimeSpan AttemptTimeout, bool CumulativeMetrics)
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OtlpExportBuffer";

    /// <summary>
    /// Bytes of spans held for retry. Held gzipped in the SDK's batches of 512, a SampleApi request's
    /// four spans take 162 bytes (measured in the benchmark's long outage), so a 30 s outage at 10,000
    /// requests a second takes 49 MB of this 50 MB (docs/benchmarks/README.md).
    /// </summary>
    public const long DefaultTracesMaxBytes = 48L * 1024 * 1024;

    /// <summary>Bytes of log records held for retry: a request's three records take 120 bytes gzipped, 36 MB in the same outage.</summary>
    public const long DefaultLogsMaxBytes = 48L * 1024 * 1024;

    /// <summary>
    /// Bytes of metrics held for retry. With cumulative temporality (the SDK's default) only the newest
    /// request is held, a few kilobytes; with delta every request counts, and this keeps minutes of them.
    /// </summary>
    public const long DefaultMetricsMaxBytes = 8L * 1024 * 1024;

    /// <summary>How long a request may stay undelivered: a 30 s outage, the backoff and the catch-up, four times over.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(2);

    /// <summary>The OpenTelemetry default for <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Ceiling of the first retry's wait; it doubles per attempt (full jitter below it).</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Largest ceiling: pods that lost their collector together return to it spread over this window.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private const string TimeoutSetting = "OTEL_EXPORTER_OTLP_TIMEOUT";
    private const string TemporalitySetting = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";

    /// <summary>The SDK's TLS settings, which only its own HttpClient applies: the buffer's sender does not.</summary>
    private static readonly string[] TlsSettings = ["OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY"];

    /// <summary>The numbers <see cref="DeliveryPolicy"/> works with.</summary>
    public DeliveryLimits Limits => new(FirstBackoff, MaxBackoff, MaxAge);

    /// <summary>A signal's budget.</summary>
    public long MaxBytes(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => TracesMaxBytes,
        OtlpSignal.Logs => LogsMaxBytes,
        _ => MetricsMaxBytes,
    };

    /// <summary>Reads and checks the settings; a bad value stops startup with one line naming it.</summary>
    public static ExportBufferSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (section["MaxBytes"] is not null)
        {
            throw new InvalidOperationException(
                $"Setting '{SectionName}:MaxBytes' was replaced by one budget per signal: set {SectionName}:TracesMaxBytes, :LogsMaxBytes or :MetricsMaxBytes instead.");
        }

        var enabled = section["Enabled"] is not { } flag || (bool.TryParse(flag, out var parsed)
            ? parsed
            : throw Invalid($"{SectionName}:Enabled", flag, "true or false"));
        var timeout = configuration[TimeoutSetting] is not { } milliseconds ? DefaultAttemptTimeout
            : int.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms)
            : throw Invalid(TimeoutSetting, milliseconds, "milliseconds above zero, e.g. 10000");
        var maxAge = section["MaxAgeSeconds"] is not { } age ? DefaultMaxAge
            : int.TryParse(age, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds)
            : throw Invalid($"{SectionName}:MaxAgeSeconds", age, $"whole seconds above zero, e.g. {DefaultMaxAge.TotalSeconds}");
        if (enabled && TlsSettings.FirstOrDefault(setting => !string.IsNullOrEmpty(configuration[setting])) is { } tls)
        {
            throw new InvalidOperationException(
                $"Setting '{tls}' is set, but the export buffer does not apply the SDK's TLS settings: set {SectionName}:Enabled=false to export with them.");
        }

        var temporality = configuration[TemporalitySetting];
        return new ExportBufferSettings(
            enabled,
            Bytes(section, "TracesMaxBytes", DefaultTracesMaxBytes),
            Bytes(section, "LogsMaxBytes", DefaultLogsMaxBytes),
            Bytes(section, "MetricsMaxBytes", DefaultMetricsMaxBytes),
            maxAge,
            timeout,
            string.IsNullOrWhiteSpace(temporality) || string.Equals(temporality.Trim(), "cumulative", StringComparison.OrdinalIgnoreCase));
    }

    private static long Bytes(IConfigurationSection section, string key, long defaultBytes) =>
        section[key] is not { } bytes ? defaultBytes
        : long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size
        : throw Invalid($"{SectionName}:{key}", bytes, $"a whole number of bytes above zero, e.g. {defaultBytes}");

    private static InvalidOperationException Invalid(string setting, string value, string expected) =>
        new($"Setting '{setting}' is '{value}': set it to {expected}.");
}
