using static AppHost.Tests.Yaml;

namespace AppHost.Tests.Collector;

public class CollectorConfigTests
{
    private const string DashboardEndpoint = "${env:OTEL_EXPORTER_OTLP_ENDPOINT}";
    private const string ApiKeyReference = "${env:ASPIRE_DASHBOARD_OTLP_API_KEY}";

    private static Dictionary<object, object> DashboardOnly() =>
        Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: true).ToYaml());

    private static Dictionary<object, object> DashboardAndXRay(string region) =>
        Parse(new CollectorConfig()
            .WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: true)
            .WithXRayExporter(region)
            .ToYaml());

    [Fact]
    public void Config_receives_otlp_grpc_on_4317_and_http_on_4318_on_all_interfaces()
    {
        var config = DashboardOnly();

        Assert.Equal("0.0.0.0:4317", Text(config, "receivers", "otlp", "protocols", "grpc", "endpoint"));
        Assert.Equal("0.0.0.0:4318", Text(config, "receivers", "otlp", "protocols", "http", "endpoint"));
    }

    [Fact]
    public void Config_enables_the_health_check_extension_on_the_health_port()
    {
        var config = DashboardOnly();

        Assert.Equal("0.0.0.0:13133", Text(config, "extensions", "health_check", "endpoint"));
        Assert.Equal(["health_check"], List(config, "service", "extensions"));
    }

    [Fact]
    public void Every_pipeline_receives_otlp_and_runs_memory_limiter_before_batch()
    {
        var pipelines = Map(DashboardAndXRay("us-west-2"), "service", "pipelines");

        Assert.Equal(["traces", "metrics", "logs"], pipelines.Keys.Cast<string>());
        foreach (var pipeline in pipelines.Values)
        {
            Assert.Equal(["otlp"], List(pipeline, "receivers"));
            Assert.Equal(["memory_limiter", "batch"], List(pipeline, "processors"));
        }
    }

    [Fact]
    public void Without_aws_settings_every_signal_goes_to_the_dashboard_only()
    {
        var config = DashboardOnly();

        Assert.Equal(["otlp/aspire-dashboard"], Map(config, "exporters").Keys.Cast<string>());
        Assert.Equal(["otlp/aspire-dashboard"], List(config, "service", "pipelines", "traces", "exporters"));
        Assert.Equal(["otlp/aspire-dashboard"], List(config, "service", "pipelines", "metrics", "exporters"));
        Assert.Equal(["otlp/aspire-dashboard"], List(config, "service", "pipelines", "logs", "exporters"));
    }

    [Fact]
    public void With_a_region_traces_also_go_to_xray_in_that_region()
    {
        var config = DashboardAndXRay("eu-west-2");

        Assert.Equal("eu-west-2", Text(config, "exporters", "awsxray", "region"));
        Assert.Equal(["otlp/aspire-dashboard", "awsxray"], List(config, "service", "pipelines", "traces", "exporters"));
        Assert.Equal(["otlp/aspire-dashboard"], List(config, "service", "pipelines", "metrics", "exporters"));
        Assert.Equal(["otlp/aspire-dashboard"], List(config, "service", "pipelines", "logs", "exporters"));
    }

    [Fact]
    public void Dashboard_exporter_sends_the_otlp_api_key_header_to_the_dashboard_endpoint()
    {
        var exporter = Map(DashboardOnly(), "exporters", "otlp/aspire-dashboard");

        Assert.Equal(DashboardEndpoint, Text(exporter, "endpoint"));
        Assert.Equal(ApiKeyReference, Text(exporter, "headers", "x-otlp-api-key"));
    }

    [Fact]
    public void Dashboard_exporter_sends_no_header_when_the_dashboard_takes_anonymous_otlp()
    {
        var config = Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, apiKey: null, insecure: true).ToYaml());

        Assert.False(Map(config, "exporters", "otlp/aspire-dashboard").ContainsKey("headers"));
    }

    [Theory]
    [InlineData(true, "insecure")]
    [InlineData(false, "insecure_skip_verify")]
    public void Tls_is_insecure_only_for_a_plain_http_dashboard(bool http, string expectedTlsKey)
    {
        var config = Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: http).ToYaml());

        var tls = Map(config, "exporters", "otlp/aspire-dashboard", "tls");
        Assert.Equal([expectedTlsKey], tls.Keys.Cast<string>());
        Assert.Equal("true", Text(tls, expectedTlsKey));
    }

    [Fact]
    public void Pipelines_without_a_configured_exporter_are_left_out()
    {
        var config = Parse(new CollectorConfig().WithXRayExporter("us-east-1").ToYaml());

        Assert.Equal(["traces"], Map(config, "service", "pipelines").Keys.Cast<string>());
        Assert.Equal(["awsxray"], List(config, "service", "pipelines", "traces", "exporters"));
    }
}
