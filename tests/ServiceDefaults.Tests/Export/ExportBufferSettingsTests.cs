using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

public class ExportBufferSettingsTests
{
    [Fact]
    public void Without_settings_the_buffer_is_on_with_its_default_budgets_age_and_the_standard_timeout()
    {
        var settings = ExportBufferSettings.From(Configuration([]));

        Assert.Equal(new ExportBufferSettings(true, 48 << 20, 48 << 20, 8 << 20, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), CumulativeMetrics: true), settings);
    }

    [Fact]
    public void Settings_come_from_the_section_and_the_standard_otlp_timeout()
    {
        var settings = ExportBufferSettings.From(Configuration(new()
        {
            ["OtlpExportBuffer:Enabled"] = "false",
            ["OtlpExportBuffer:TracesMaxBytes"] = "1024",
            ["OtlpExportBuffer:LogsMaxBytes"] = "2048",
            ["OtlpExportBuffer:MetricsMaxBytes"] = "4096",
            ["OtlpExportBuffer:MaxAgeSeconds"] = "45",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
            ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta",
        }));

        Assert.Equal(new ExportBufferSettings(false, 1024, 2048, 4096, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(2500), CumulativeMetrics: false), settings);
    }

    [Fact]
    public void The_replaced_single_budget_stops_startup_naming_its_successors()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExportBufferSettings.From(Configuration(new() { ["OtlpExportBuffer:MaxBytes"] = "1024" })));

        Assert.Contains("OtlpExportBuffer:TracesMaxBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OtlpExportBuffer:TracesMaxBytes", "64MB")]
    [InlineData("OtlpExportBuffer:LogsMaxBytes", "0")]
    [InlineData("OtlpExportBuffer:MetricsMaxBytes", "-1")]
    [InlineData("OtlpExportBuffer:MaxAgeSeconds", "2m")]
    [InlineData("OtlpExportBuffer:Enabled", "yes")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "-1")]
    public void A_bad_value_stops_startup_with_one_line_naming_the_setting(string setting, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExportBufferSettings.From(Configuration(new() { [setting] = value })));

        Assert.StartsWith($"Setting '{setting}' is '{value}': set it to ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_CERTIFICATE")]
    [InlineData("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE")]
    [InlineData("OTEL_EXPORTER_OTLP_CLIENT_KEY")]
    public void The_sdk_tls_settings_stop_startup_unless_the_buffer_is_off(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExportBufferSettings.From(Configuration(new() { [setting] = "/etc/otel/cert.pem" })));
        var off = ExportBufferSettings.From(Configuration(new() { [setting] = "/etc/otel/cert.pem", ["OtlpExportBuffer:Enabled"] = "false" }));

        Assert.Equal($"Setting '{setting}' is set, but the export buffer does not apply the SDK's TLS settings: set OtlpExportBuffer:Enabled=false to export with them.", error.Message);
        Assert.False(off.Enabled);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
