using AppHost.Eks;
using AppHost.Tests.Eks;
using Aspire.Hosting.ApplicationModel;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using static AppHost.Tests.Yaml;

namespace AppHost.Tests.Collector;

/// <summary>
/// Every signal a project exports has a pipeline in every collector rendering: the signals come from
/// ServiceDefaults' own decision (<see cref="TelemetrySignals.Exported"/>) on the environment the app
/// model gives the project, so a new signal, or one switched off, is followed here without a change.
/// </summary>
public class PipelineCoverageTests
{
    [Theory]
    [InlineData]
    [InlineData("--AWS:Region=us-west-2")]
    [InlineData("--AWS:Region=us-west-2", "--AWS:TraceExport=xray")]
    public async Task The_local_collector_has_a_pipeline_for_every_signal_the_projects_export(params string[] args)
    {
        var builder = await AppModel.CreateAsync(["--Collector:Mode=container", .. args]);
        var collector = builder.Resources.Resource<AdotCollectorResource>("collector");
        var config = Parse(Assert.IsType<string>((await collector.EnvironmentAsync(builder.ExecutionContext))["AOT_CONFIG_CONTENT"]));
        await using var app = await AppModel.BuildAsync(builder);

        var exported = await ExportedSignalsAsync(app.Resources().Resource<ProjectResource>("sampleapi"), app.ExecutionContext());

        Assert.Equal(TelemetrySignals.All.ToHashSet(), exported.ToHashSet());
        AssertCovers(config, exported, destination: null);
        if (args.Length > 0)
        {
            AssertCovers(config, exported, destination: "aws");
        }
    }

    /// <summary>
    /// On EKS the project's environment is what the rendered overlay gives its container (the ConfigMap it
    /// reads plus its own variables), and the collector's configuration is the ConfigMap (route 1) or the
    /// add-on's CR (route 2).
    /// </summary>
    [Theory]
    [InlineData(EksBundle.EksFolder)]
    [InlineData(EksBundle.PodIdentityFolder)]
    [InlineData(EksBundle.AdotAddonFolder)]
    public void Every_eks_route_has_a_pipeline_for_every_signal_the_deployed_projects_export(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        var collectorConfig = overlay == EksBundle.AdotAddonFolder
            ? Yaml.Parse(k8s.KubernetesYaml.Serialize(objects.OfType<OpenTelemetryCollectorResource>().Single().Spec.Config))
            : Yaml.Parse(Assert.Single(objects.OfType<V1ConfigMap>(), map => map.Metadata.Name.StartsWith("collector-config-", StringComparison.Ordinal)).Data[KubernetesObjects.ConfigFileName]);

        var deployment = objects.OfType<V1Deployment>().Single(item => item.Metadata.Name == Bundle.SampleApi);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var settings = new Dictionary<string, string?>();
        foreach (var source in container.EnvFrom ?? [])
        {
            foreach (var (key, value) in objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name == source.ConfigMapRef.Name).Data)
            {
                settings[key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            settings[variable.Name] = variable.Value ?? "(from the pod)";
        }

        var exported = TelemetrySignals.Exported(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        Assert.Equal(TelemetrySignals.All.ToHashSet(), exported.ToHashSet());
        AssertCovers(collectorConfig, exported, destination: "aws");
    }

    /// <summary>The signals ServiceDefaults would export with <paramref name="project"/>'s environment.</summary>
    internal static async Task<IReadOnlySet<string>> ExportedSignalsAsync(ProjectResource project, DistributedApplicationExecutionContext context)
    {
        var environment = await project.EnvironmentAsync(context);
        var settings = environment.ToDictionary(variable => variable.Key, variable => (string?)AppModel.Expression(variable.Value));
        return TelemetrySignals.Exported(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    /// <summary>Asserts a pipeline per signal (<c>signal</c>, or <c>signal/destination</c>) with at least one exporter.</summary>
    internal static void AssertCovers(Dictionary<object, object> config, IEnumerable<string> signals, string? destination)
    {
        var pipelines = Map(config, "service", "pipelines");
        foreach (var signal in signals)
        {
            var id = destination is null ? signal : $"{signal}/{destination}";
            Assert.True(pipelines.ContainsKey(id), $"No {id} pipeline; the collector would refuse every {signal} export. Pipelines: {string.Join(", ", pipelines.Keys)}");
            Assert.NotEmpty(List(pipelines[id], "exporters"));
        }
    }
}
