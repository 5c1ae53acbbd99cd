using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests.Aws;

/// <summary>
/// What SampleApi is given in each local case: the collector (Collector:Mode=container stands for a running
/// Docker or Podman, which this machine has not), no runtime, Collector:Mode=off; with and without a region.
/// </summary>
public class LocalAwsRouteTests
{
    // A runtime CLI that cannot exist, so auto mode finds no engine on any machine.
    private const string NoRuntime = "--ASPIRE_CONTAINER_RUNTIME=no-such-container-cli";
    private const string Region = "--AWS:Region=eu-west-2";

    private static readonly Dictionary<string, string> DirectCopies = new()
    {
        ["OtlpCopy__TracesEndpoint"] = "https://xray.eu-west-2.amazonaws.com/v1/traces",
        ["OtlpCopy__MetricsEndpoint"] = "https://monitoring.eu-west-2.amazonaws.com/v1/metrics",
        ["OtlpCopy__LogsEndpoint"] = "https://logs.eu-west-2.amazonaws.com/v1/logs",
        ["OtlpCopy__LogsHeaders"] = "x-aws-log-group=/aspire-xray/logs,x-aws-log-stream=otlp",
    };

    [Theory]
    [InlineData(NoRuntime)]
    [InlineData("--Collector:Mode=off")]
    public async Task Without_a_collector_a_region_sends_each_signal_to_the_dashboard_and_straight_to_aws(string noCollector)
    {
        var environment = await SampleApiEnvironmentAsync(noCollector, Region, "--AWS:Profile=dev");

        Assert.Equal(DirectCopies, Copies(environment));
        Assert.IsAssignableFrom<IValueProvider>(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]); // the dashboard, as without AWS
        Assert.Equal(("dev", "eu-west-2"), (environment["AWS_PROFILE"], environment["AWS_REGION"]));
    }

    [Theory]
    [InlineData("--Collector:Mode=container", Region)]
    [InlineData(NoRuntime, "--AWS:Region=")]
    [InlineData("--Collector:Mode=off", "--AWS:Region=")]
    public async Task With_the_collector_or_without_a_region_nothing_goes_straight_to_aws(string collector, string region)
    {
        var environment = await SampleApiEnvironmentAsync(collector, region);

        Assert.Empty(Copies(environment));
    }

    [Fact]
    public async Task The_logs_copy_writes_to_the_configured_log_group_and_stream()
    {
        var environment = await SampleApiEnvironmentAsync(NoRuntime, Region, "--AWS:LogGroup=/team/api", "--AWS:LogStream=laptop");

        Assert.Equal("x-aws-log-group=/team/api,x-aws-log-stream=laptop", environment["OtlpCopy__LogsHeaders"]);
    }

    [Fact]
    public async Task Publishing_never_adds_the_copies()
    {
        await using var app = await AppModel.BuildAsync([.. AppModel.Publish(), "--Collector:Mode=off", Region]);

        var environment = await app.Resources().Resource<ProjectResource>("sampleapi").EnvironmentAsync(app.ExecutionContext());

        Assert.Empty(Copies(environment));
    }

    [Theory]
    [InlineData("TraceExport", "xray", "X-Ray's OTLP endpoint")]
    [InlineData("MetricsExport", "emf", "CloudWatch's OTLP endpoint")]
    public async Task A_route_only_the_collector_has_stops_the_start_without_a_collector(string setting, string value, string otlpTarget)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.CreateAsync(NoRuntime, Region, $"--AWS:{setting}={value}"));

        Assert.Equal(
            $"AWS:{setting} is {value}, which only the collector can do, and no collector runs (no Docker or Podman, or Collector:Mode=off). " +
            $"Start Docker or Podman with Collector:Mode=auto, or remove AWS:{setting} to send straight to {otlpTarget}.",
            error.Message);
    }

    /// <summary>The route is chosen as the model is made, so the model need not be built (which would start DCP).</summary>
    private static async Task<Dictionary<string, object>> SampleApiEnvironmentAsync(params string[] args)
    {
        var builder = await AppModel.CreateAsync(args);
        return await builder.Resources.Resource<ProjectResource>("sampleapi").EnvironmentAsync(builder.ExecutionContext);
    }

    private static Dictionary<string, string> Copies(Dictionary<string, object> environment) =>
        environment.Where(variable => variable.Key.StartsWith("OtlpCopy__", StringComparison.Ordinal))
            .ToDictionary(variable => variable.Key, variable => Assert.IsType<string>(variable.Value));
}
