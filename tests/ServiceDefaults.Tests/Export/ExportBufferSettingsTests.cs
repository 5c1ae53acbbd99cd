using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

public class ExportBufferSettingsTests
{
    [Fact]
    public void Without_settings_the_buffer_is_on_with_its_default_bound_and_the_standard_timeout()
    {
        var settings = ExportBufferSettings.From(Configuration([]));

        Assert.Equal(new ExportBufferSettings(true, ExportBufferSettings.DefaultMaxBytes, TimeSpan.FromSeconds(10)), settings);
    }

    [Fact]
    public void Settings_come_from_the_section_and_the_standard_otlp_timeout()
    {
        var settings = ExportBufferSettings.From(Configuration(new()
        {
            ["OtlpExportBuffer:Enabled"] = "false",
            ["OtlpExportBuffer:MaxBytes"] = "1024",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
        }));

        Assert.Equal(new ExportBufferSettings(false, 1024, TimeSpan.FromMilliseconds(2500)), settings);
    }

    [Theory]
    [InlineData("OtlpExportBuffer:MaxBytes", "64MB")]
    [InlineData("OtlpExportBuffer:MaxBytes", "0")]
    [InlineData("OtlpExportBuffer:Enabled", "yes")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "-1")]
    public void A_bad_value_stops_startup_with_one_line_naming_the_setting(string setting, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExportBufferSettings.From(Configuration(new() { [setting] = value })));

        Assert.StartsWith($"Setting '{setting}' is '{value}': set it to ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
