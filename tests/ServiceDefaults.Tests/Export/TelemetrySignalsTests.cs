using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

public class TelemetrySignalsTests
{
    private const string Endpoint = "http://collector:4317";

    private static IReadOnlySet<string> Exported(params (string Key, string Value)[] settings) =>
        TelemetrySignals.Exported(TestConfiguration.Of(settings));

    [Fact]
    public void An_endpoint_exports_traces_metrics_and_logs()
    {
        Assert.Equal(TelemetrySignals.All.ToHashSet(), Exported(("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)).ToHashSet());
        Assert.Equal(["traces", "metrics", "logs"], TelemetrySignals.All);
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_exported()
    {
        Assert.Empty(Exported(("OTEL_METRICS_EXPORTER", "otlp")));
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "traces")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "metrics")]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "logs")]
    public void A_signal_endpoint_alone_exports_that_signal(string setting, string signal)
    {
        Assert.Equal([signal], Exported((setting, "https://xray.eu-west-2.amazonaws.com/v1/traces")));
    }

    [Fact]
    public void A_signal_endpoint_with_its_exporter_none_exports_nothing()
    {
        Assert.Empty(Exported(("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Endpoint), ("OTEL_LOGS_EXPORTER", "none")));
    }

    [Theory]
    [InlineData("OTEL_TRACES_EXPORTER", "none", "metrics,logs")]
    [InlineData("OTEL_METRICS_EXPORTER", "None", "traces,logs")]
    [InlineData("OTEL_LOGS_EXPORTER", " none ", "traces,metrics")]
    [InlineData("OTEL_LOGS_EXPORTER", "otlp", "traces,metrics,logs")]
    public void An_exporter_setting_of_none_leaves_only_that_signal_out(string setting, string value, string expected)
    {
        var exported = Exported(("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint), (setting, value));

        Assert.Equal(expected.Split(',').ToHashSet(), exported.ToHashSet());
    }

    [Fact]
    public void An_unsupported_exporter_stops_with_the_setting_and_its_values()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Exported(("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint), ("OTEL_METRICS_EXPORTER", "prometheus")));

        Assert.Equal(
            "OTEL_METRICS_EXPORTER is 'prometheus', which this service does not support. Set it to otlp or none " +
            "(this signal is not exported), or remove it for otlp.",
            error.Message);
    }
}
