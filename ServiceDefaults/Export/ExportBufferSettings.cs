using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Settings of the export buffer (<see cref="ExportBuffer"/>), section <c>OtlpExportBuffer</c>,
/// plus the standard <c>OTEL_EXPORTER_OTLP_TIMEOUT</c> for each delivery attempt.
/// </summary>
internal sealed record ExportBufferSettings(bool Enabled, long MaxBytes, TimeSpan AttemptTimeout)
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OtlpExportBuffer";

    /// <summary>
    /// Bytes of serialized (and, once an export has failed, gzipped) telemetry held for retry:
    /// held gzipped, a SampleApi request's four spans and three log records take about 225 bytes,
    /// so this keeps a 30 s outage at 10,000 requests a second with a third to spare
    /// (docs/benchmarks/README.md).
    /// </summary>
    public const long DefaultMaxBytes = 96L * 1024 * 1024;

    /// <summary>The OpenTelemetry default for <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    private const string TimeoutSetting = "OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary>The SDK's TLS settings, which only its own HttpClient applies: the buffer's sender does not.</summary>
    private static readonly string[] TlsSettings = ["OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY"];

    /// <summary>Reads and checks the settings; a bad value stops startup with one line naming it.</summary>
    public static ExportBufferSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var enabled = section["Enabled"] is not { } flag || (bool.TryParse(flag, out var parsed)
            ? parsed
            : throw Invalid($"{SectionName}:Enabled", flag, "true or false"));
        var maxBytes = section["MaxBytes"] is not { } bytes ? DefaultMaxBytes
            : long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size
            : throw Invalid($"{SectionName}:MaxBytes", bytes, $"a whole number of bytes above zero, e.g. {DefaultMaxBytes}");
        var timeout = configuration[TimeoutSetting] is not { } milliseconds ? DefaultAttemptTimeout
            : int.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms)
            : throw Invalid(TimeoutSetting, milliseconds, "milliseconds above zero, e.g. 10000");
        if (enabled && TlsSettings.FirstOrDefault(setting => !string.IsNullOrEmpty(configuration[setting])) is { } tls)
        {
            throw new InvalidOperationException(
                $"Setting '{tls}' is set, but the export buffer does not apply the SDK's TLS settings: set {SectionName}:Enabled=false to export with them.");
        }

        return new ExportBufferSettings(enabled, maxBytes, timeout);
    }

    private static InvalidOperationException Invalid(string setting, string value, string expected) =>
        new($"Setting '{setting}' is '{value}': set it to {expected}.");
}
