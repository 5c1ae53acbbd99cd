using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Aws;

/// <summary>What AWS would refuse is caught at startup, with the setting and the fix.</summary>
public class AwsExportTests
{
    private const string XRay = "https://xray.eu-west-2.amazonaws.com/v1/traces";
    private const string Logs = "https://logs.eu-west-2.amazonaws.com/v1/logs";
    private const string LogHeaders = "x-aws-log-group=/aspire/logs,x-aws-log-stream=sampleapi";

    private static AwsExport? From(params (string Key, string Value)[] settings)
    {
        var configuration = TestConfiguration.Of(settings);
        return AwsExport.From(configuration, TelemetrySignals.Exported(configuration));
    }

    [Fact]
    public void Signals_sent_to_aws_endpoints_are_signed_for_their_service_and_region()
    {
        var aws = From(
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", XRay),
            ("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Logs),
            ("OTEL_EXPORTER_OTLP_LOGS_HEADERS", LogHeaders),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4318/v1/metrics"));

        Assert.NotNull(aws);
        Assert.Equal(new AwsEndpoint("xray", "eu-west-2"), aws.Endpoints["traces"]);
        Assert.Equal(new AwsEndpoint("logs", "eu-west-2"), aws.Endpoints["logs"]);
        Assert.False(aws.Endpoints.ContainsKey("metrics"));
        Assert.True(aws.NeedsCredentials);
    }

    [Fact]
    public void Without_an_aws_endpoint_there_is_nothing_to_sign()
    {
        Assert.Null(From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")));
    }

    [Fact]
    public void Grpc_to_an_aws_endpoint_stops_the_start_naming_the_protocol_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", XRay)));

        Assert.Equal(
            "Traces go to xray.eu-west-2.amazonaws.com, which takes OTLP only over HTTP, but the protocol is 'grpc'. " +
            "Set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf (or OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf for every signal).",
            error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("x-aws-log-group=/aspire/logs")]
    public void A_logs_endpoint_without_group_and_stream_headers_stops_the_start_naming_the_headers_setting(string? headers)
    {
        (string, string)[] settings = headers is null
            ? [("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Logs), ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf")]
            : [("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Logs), ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf"), ("OTEL_EXPORTER_OTLP_LOGS_HEADERS", headers)];

        var error = Assert.Throws<InvalidOperationException>(() => From(settings));

        Assert.Equal(
            "Logs go to logs.eu-west-2.amazonaws.com, which needs the log group and stream to write to. Set " +
            "OTEL_EXPORTER_OTLP_LOGS_HEADERS=x-aws-log-group=<group>,x-aws-log-stream=<stream> naming a group and stream that exist.",
            error.Message);
    }

    [Fact]
    public void An_api_key_in_the_headers_needs_no_credentials()
    {
        var aws = From(
            ("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Logs),
            ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_LOGS_HEADERS", $"{LogHeaders},Authorization=Bearer%20key"));

        Assert.NotNull(aws);
        Assert.False(aws.NeedsCredentials);
    }
}
