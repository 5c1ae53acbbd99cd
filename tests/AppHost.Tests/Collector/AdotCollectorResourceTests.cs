using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests.Collector;

public class AdotCollectorResourceTests
{
    private static async Task<AdotCollectorResource> CollectorAsync()
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container");
        return builder.Resources.Resource<AdotCollectorResource>("collector");
    }

    [Fact]
    public async Task Collector_runs_the_pinned_adot_image()
    {
        var image = Assert.Single((await CollectorAsync()).Annotations.OfType<ContainerImageAnnotation>());

        Assert.Equal("public.ecr.aws", image.Registry);
        Assert.Equal("aws-observability/aws-otel-collector", image.Image);
        Assert.Equal("v0.49.0", image.Tag);
    }

    [Fact]
    public async Task Collector_image_tag_can_be_overridden()
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container");

        var collector = builder.AddAdotCollector("otel").WithImageTag("v0.48.0").Resource;

        Assert.Equal("v0.48.0", collector.Annotations.OfType<ContainerImageAnnotation>().Last().Tag);
    }

    [Fact]
    public async Task Collector_exposes_otlp_grpc_and_http_endpoints()
    {
        var endpoints = (await CollectorAsync()).Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);

        Assert.Equal(["grpc", "http", "health"], endpoints.Keys);
        Assert.Equal((4317, "http", "http2"), (endpoints["grpc"].TargetPort!.Value, endpoints["grpc"].UriScheme, endpoints["grpc"].Transport));
        Assert.Equal((4318, "http"), (endpoints["http"].TargetPort!.Value, endpoints["http"].UriScheme));
        Assert.Equal((13133, "http"), (endpoints["health"].TargetPort!.Value, endpoints["health"].UriScheme));
    }

    [Fact]
    public async Task Collector_has_a_health_check()
    {
        var collector = await CollectorAsync();

        Assert.Single(collector.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Running_collector_reads_the_config_generated_into_its_environment()
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container");
        var collector = builder.Resources.Resource<AdotCollectorResource>("collector");

        var args = await ArgsAsync(collector, builder.ExecutionContext);
        var environment = await collector.EnvironmentAsync(builder.ExecutionContext);

        Assert.Equal(["--config=env:AOT_CONFIG_CONTENT"], args);
        Assert.Contains("receivers:", Assert.IsType<string>(environment["AOT_CONFIG_CONTENT"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_collector_reads_the_config_file_the_deployment_mounts_and_nothing_aspirate_would_break()
    {
        await using var app = await AppModel.BuildAsync([.. AppModel.Publish(), "--AWS:Region=us-west-2"]);
        var collector = app.Resources().Resource<AdotCollectorResource>("collector");

        var args = await ArgsAsync(collector, app.ExecutionContext());
        var environment = await collector.EnvironmentAsync(app.ExecutionContext());

        Assert.Equal(["--config=/conf/collector.yaml"], args);
        Assert.Empty(collector.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(["AWS_REGION", "AWS__Region"], environment.Keys.Order(StringComparer.Ordinal));
        Assert.All(environment.Values, value => Assert.DoesNotMatch("[{}\"'\n]", AppModel.Expression(value)));
    }

    internal static async Task<List<string>> ArgsAsync(IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args) { ExecutionContext = executionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return args.Select(AppModel.Expression).ToList();
    }
}
