using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Tests.Resources;

/// <summary>The detector as AddServiceDefaults wires it, next to the SDK's own detectors.</summary>
[Collection(ProcessWideTracingState.Name)]
public class ServiceDefaultsResourceTests
{
    private static Dictionary<string, object> ResourceOf(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = typeof(ServiceDefaultsResourceTests).Assembly.GetName().Name,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        using var host = builder.Build();
        return host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);
    }

    [Fact]
    public void Service_defaults_name_and_version_the_service_from_its_assembly()
    {
        var attributes = ResourceOf(new() { ["K8S_POD_NAME"] = "pod-1" });

        Assert.Equal("ServiceDefaults.Tests", attributes["service.name"]);
        Assert.StartsWith("1.0.0", (string)attributes["service.version"], StringComparison.Ordinal);
        Assert.Equal("pod-1", attributes["service.instance.id"]);
        Assert.Equal("pod-1", attributes["k8s.pod.name"]);
        Assert.Equal("opentelemetry", attributes["telemetry.sdk.name"]);
    }

    [Fact]
    public void Otel_resource_attributes_and_service_name_keep_the_last_word()
    {
        var attributes = ResourceOf(new()
        {
            ["K8S_POD_NAME"] = "pod-1",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=from-env,deployment.environment.name=test",
            ["OTEL_SERVICE_NAME"] = "checkout",
        });

        Assert.Equal("checkout", attributes["service.name"]);
        Assert.Equal("from-env", attributes["service.instance.id"]);
        Assert.Equal("test", attributes["deployment.environment.name"]);
        Assert.Equal("pod-1", attributes["k8s.pod.name"]);
    }
}
