using Aspire.Hosting.ApplicationModel;
using static AppHost.Tests.Yaml;

namespace AppHost.Tests.Collector;

/// <summary>The configuration the running collector gets, generated from the AppHost's own model.</summary>
public class GeneratedConfigTests
{
    private static async Task<(Dictionary<object, object> Config, Dictionary<string, object> Environment, string? ApiKey)> RunningCollectorAsync(
        params string[] args)
    {
        var builder = await AppModel.CreateAsync(["--Collector:Mode=container", .. args]);
        var collector = builder.Resources.Resource<AdotCollectorResource>("collector");
        var environment = await collector.EnvironmentAsync(builder.ExecutionContext);
        var config = Parse(Assert.IsType<string>(environment["AOT_CONFIG_CONTENT"]));
        return (config, environment, builder.Configuration["AppHost:OtlpApiKey"]);
    }

    [Fact]
    public async Task Running_collector_exports_everything_to_the_dashboard_with_its_api_key()
    {
        var (config, environment, apiKey) = await RunningCollectorAsync();

        var exporter = Map(config, "exporters", "otlp_grpc/aspire-dashboard");
        Assert.Equal("${env:OTEL_EXPORTER_OTLP_ENDPOINT}", Text(exporter, "endpoint"));
        Assert.Equal("${env:ASPIRE_DASHBOARD_OTLP_API_KEY}", Text(exporter, "headers", "x-otlp-api-key"));
        Assert.Equal("true", Text(exporter, "tls", "insecure"));
        Assert.False(string.IsNullOrEmpty(apiKey));
        // Compared, never printed: the key stays out of test output.
        Assert.True(Equals(apiKey, environment["ASPIRE_DASHBOARD_OTLP_API_KEY"]), "The collector must get the dashboard's OTLP API key.");
        Assert.Equal(["otlp_grpc/aspire-dashboard"], Map(config, "exporters").Keys.Cast<string>());
        Assert.DoesNotContain(apiKey!, Assert.IsType<string>(environment["AOT_CONFIG_CONTENT"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:19080", "insecure")]
    [InlineData("https://localhost:19081", "insecure_skip_verify")]
    public async Task Running_collector_reaches_the_dashboard_otlp_endpoint_aspire_resolves_for_containers(string url, string tlsKey)
    {
        var (config, environment, _) = await RunningCollectorAsync($"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={url}");

        // Aspire's own value, which it renders with the container host name (host.docker.internal) for a container.
        var endpoint = Assert.IsAssignableFrom<IValueProvider>(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal(url, (await endpoint.GetValueAsync())?.TrimEnd('/'));
        Assert.Equal([tlsKey], Map(config, "exporters", "otlp_grpc/aspire-dashboard", "tls").Keys.Cast<string>());
    }

    [Fact]
    public async Task Running_collector_with_an_aws_region_also_sends_every_signal_to_aws()
    {
        var (config, _, _) = await RunningCollectorAsync("--AWS:Region=us-west-2", "--AWS:LogGroup=/dev/logs");

        Assert.Equal("https://xray.us-west-2.amazonaws.com/v1/traces", Text(config, "exporters", "otlp_http/xray", "traces_endpoint"));
        Assert.Equal("/dev/logs", Text(config, "exporters", "otlp_http/cloudwatch-logs", "headers", "x-aws-log-group"));
        Assert.Equal(["otlp_grpc/aspire-dashboard"], List(config, "service", "pipelines", "traces", "exporters"));
        Assert.Equal(["otlp_http/xray"], List(config, "service", "pipelines", "traces/aws", "exporters"));
        Assert.Equal(["otlp_http/cloudwatch-metrics"], List(config, "service", "pipelines", "metrics/aws", "exporters"));
        Assert.Equal(["otlp_http/cloudwatch-logs"], List(config, "service", "pipelines", "logs/aws", "exporters"));
    }

    [Fact]
    public async Task Running_collector_with_TraceExport_xray_uses_the_awsxray_exporter()
    {
        var (config, _, _) = await RunningCollectorAsync("--AWS:Region=us-west-2", "--AWS:TraceExport=xray");

        Assert.Equal(["awsxray"], List(config, "service", "pipelines", "traces/aws", "exporters"));
    }
}
