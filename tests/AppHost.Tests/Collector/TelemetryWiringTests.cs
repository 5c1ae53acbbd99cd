using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests.Collector;

public class TelemetryWiringTests
{
    private const string CollectorGrpcUrl = "http://{collector.bindings.grpc.host}:{collector.bindings.grpc.port}";

    [Fact]
    public async Task Projects_export_to_the_collectors_grpc_endpoint_as_a_full_url_without_the_dashboard_key()
    {
        await using var app = await AppModel.BuildAsync(AppModel.Publish());
        var projects = app.Resources().OfType<ProjectResource>().ToList();

        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            var environment = await project.EnvironmentAsync(app.ExecutionContext());
            Assert.Equal(CollectorGrpcUrl, AppModel.Expression(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_HEADERS"), $"{project.Name} must not send the dashboard key to the collector");
        }
    }

    [Fact]
    public async Task Running_projects_export_to_the_collector_in_container_mode()
    {
        await using var app = await AppModel.BuildAsync("--Collector:Mode=container");

        var environment = await app.Resources().Resource<ProjectResource>("sampleapi").EnvironmentAsync(app.ExecutionContext());

        Assert.Equal(CollectorGrpcUrl, AppModel.Expression(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_HEADERS"));
    }
}
