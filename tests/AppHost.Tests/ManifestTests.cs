using System.Text.Json.Nodes;

namespace AppHost.Tests;

public sealed class ManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Manifest_has_the_collector_with_its_config_and_the_sample_apis_endpoint_expression()
    {
        var path = Path.Combine(_folder, "aspire-manifest.json");
        var builder = await AppModel.CreateAsync(AppModel.Publish(path));
        await using (var app = await builder.BuildAsync())
        {
            // In publish mode the app writes the manifest instead of starting DCP, then stops.
            await app.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }

        var resources = JsonNode.Parse(await File.ReadAllTextAsync(path))!["resources"]!;
        var collector = resources["collector"]!;
        Assert.Equal("container.v0", (string?)collector["type"]);
        Assert.Equal("public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0", (string?)collector["image"]);
        // The file the EKS overlays mount; manifest tools pass an argument intact.
        Assert.Equal(["--config=/conf/collector.yaml"], collector["args"]!.AsArray().Select(arg => (string?)arg));
        Assert.Equal(4317, (int?)collector["bindings"]!["grpc"]!["targetPort"]);
        Assert.Equal(4318, (int?)collector["bindings"]!["http"]!["targetPort"]);
        Assert.Null(collector["volumes"]);
        Assert.Null(collector["bindMounts"]);
        var sampleApi = resources["sampleapi"]!["env"]!;
        // Plain http only, bound by Aspirate's ASPNETCORE_URLS: no https port for the pod, no HTTP_PORTS to override.
        Assert.Equal(["http"], resources["sampleapi"]!["bindings"]!.AsObject().Select(binding => binding.Key));
        Assert.Null(sampleApi["HTTP_PORTS"]);
        Assert.Equal("http://{collector.bindings.grpc.host}:{collector.bindings.grpc.port}", (string?)sampleApi["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", (string?)sampleApi["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public async Task Published_projects_carry_no_sdk_retry_setting_which_the_export_buffer_makes_moot()
    {
        var path = Path.Combine(_folder, "aspire-manifest.json");
        var builder = await AppModel.CreateAsync(AppModel.Publish(path));
        await using (var app = await builder.BuildAsync())
        {
            await app.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }

        var sampleApi = JsonNode.Parse(await File.ReadAllTextAsync(path))!["resources"]!["sampleapi"]!["env"]!.AsObject();
        Assert.DoesNotContain("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", sampleApi.Select(variable => variable.Key));
        // The manifest still has the rest of Aspire's OTLP settings, so the removal is this one key's.
        Assert.Equal("grpc", (string?)sampleApi["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }
}
