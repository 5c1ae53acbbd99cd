using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

/// <summary>The OtlpCopy settings: which signals get a second destination, and the mistakes caught at startup.</summary>
public class OtlpCopyTests
{
    private const string Dashboard = "http://localhost:19080";
    private const string XRay = "https://xray.eu-west-2.amazonaws.com/v1/traces";
    private const string Logs = "https://logs.eu-west-2.amazonaws.com/v1/logs";

    private static IReadOnlyDictionary<string, Uri> Endpoints(params (string Key, string Value)[] settings)
    {
        var configuration = TestConfiguration.Of(settings);
        return OtlpCopy.Endpoints(configuration, TelemetrySignals.Exported(configuration));
    }

    [Fact]
    public void Each_exported_signal_with_a_copy_endpoint_gets_it_as_the_full_url()
    {
        var endpoints = Endpoints(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard),
            ("OtlpCopy:TracesEndpoint", XRay),
            ("OtlpCopy:LogsEndpoint", Logs),
            ("OtlpCopy:LogsHeaders", "x-aws-log-group=/aspire-xray/logs,x-aws-log-stream=otlp"));

        Assert.Equal(new Dictionary<string, Uri> { ["traces"] = new(XRay), ["logs"] = new(Logs) }, endpoints);
    }

    [Fact]
    public void Without_copy_settings_there_are_no_copies() =>
        Assert.Empty(Endpoints(("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard)));

    [Theory]
    [InlineData("xray.eu-west-2.amazonaws.com/v1/traces")]
    [InlineData("ftp://xray.eu-west-2.amazonaws.com/v1/traces")]
    public void A_copy_endpoint_that_is_not_an_http_url_stops_the_start(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Endpoints(("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard), ("OtlpCopy:TracesEndpoint", value)));

        Assert.StartsWith($"OtlpCopy:TracesEndpoint is '{value}', which is not an http or https URL.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Logs)]
    [InlineData("OTEL_TRACES_EXPORTER", "none")]
    public void A_copy_of_a_signal_that_is_not_exported_stops_the_start(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Endpoints(
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), (key, value), ("OtlpCopy:TracesEndpoint", XRay)));

        Assert.StartsWith("OtlpCopy:TracesEndpoint is set, but traces are not exported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_headers_without_a_logs_copy_stop_the_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Endpoints(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard), ("OtlpCopy:LogsHeaders", "x-aws-log-group=g,x-aws-log-stream=s")));

        Assert.Equal("OtlpCopy:LogsHeaders is set, but OtlpCopy:LogsEndpoint is not: set both, or remove OtlpCopy:LogsHeaders.", error.Message);
    }

    [Fact]
    public void A_logs_copy_to_aws_without_its_log_group_and_stream_names_the_copy_setting()
    {
        var configuration = TestConfiguration.Of(("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard), ("OtlpCopy:LogsEndpoint", Logs));
        var exported = TelemetrySignals.Exported(configuration);

        var error = Assert.Throws<InvalidOperationException>(() => AwsExport.From(configuration, exported, OtlpCopy.Endpoints(configuration, exported)));

        Assert.Contains("Set OtlpCopy:LogsHeaders=x-aws-log-group=<group>,x-aws-log-stream=<stream>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_to_aws_needs_credentials_even_when_the_primary_destination_is_the_dashboard()
    {
        var configuration = TestConfiguration.Of(("OTEL_EXPORTER_OTLP_ENDPOINT", Dashboard), ("OtlpCopy:TracesEndpoint", XRay));
        var exported = TelemetrySignals.Exported(configuration);

        var aws = AwsExport.From(configuration, exported, OtlpCopy.Endpoints(configuration, exported));

        Assert.NotNull(aws);
        Assert.True(aws.NeedsCredentials);
        Assert.Equal(new AwsEndpoint("xray", "eu-west-2"), aws.Endpoints["traces"]);
    }
}
