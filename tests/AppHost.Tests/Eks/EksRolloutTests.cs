using AppHost.Eks;
using k8s.Models;
using Microsoft.Extensions.Hosting;

namespace AppHost.Tests.Eks;

/// <summary>
/// A rollout or a node drain is not an outage, on both routes: two pods, a new one ready before an
/// old one goes, a disruption budget, readiness probes, and grace periods longer than the drains.
/// Read from the overlays as kubectl's kustomize renders them.
/// </summary>
public class EksRolloutTests
{
    public static TheoryData<string> Overlays => [.. Bundle.Overlays];

    public static TheoryData<string> AllOverlays => [.. Bundle.AllOverlays];

    public static TheoryData<string> DeploymentRoutes => [.. Bundle.Overlays.Where(overlay => overlay != EksBundle.AdotAddonFolder)];

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void SampleApi_rolls_one_ready_pod_at_a_time_and_pauses_before_it_stops(string overlay)
    {
        var objects = Kustomize.Objects(overlay);

        var sampleApi = objects.Single<V1Deployment>("sampleapi");
        AssertRollsWithoutAGap(sampleApi, objects);
        var container = Assert.Single(sampleApi.Spec.Template.Spec.Containers);
        Assert.Equal(ServiceDefaultsExtensions.HealthEndpointPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(Rollout.PreStopPauseSeconds, container.Lifecycle.PreStop.Sleep.Seconds);
        // SIGTERM comes after the pause; the export buffer then flushes for at most ExportFlushSeconds.
        Assert.True(sampleApi.Spec.Template.Spec.TerminationGracePeriodSeconds > Rollout.PreStopPauseSeconds + ServiceDefaultsExtensions.ExportFlushSeconds);
    }

    [Theory]
    [MemberData(nameof(DeploymentRoutes))]
    public void The_collector_deployment_rolls_one_ready_pod_at_a_time(string overlay)
    {
        var objects = Kustomize.Objects(overlay);

        var collector = objects.Single<V1Deployment>(Bundle.Collector);
        AssertRollsWithoutAGap(collector, objects);
        Assert.NotNull(Assert.Single(collector.Spec.Template.Spec.Containers).ReadinessProbe.HttpGet);
        Assert.Equal(Rollout.CollectorGracePeriodSeconds, collector.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void The_add_on_collector_asks_the_operator_for_the_same_rollout()
    {
        var spec = Kustomize.Objects(EksBundle.AdotAddonFolder).OfType<OpenTelemetryCollectorResource>().Single().Spec;

        Assert.Equal(2, spec.Replicas);
        Assert.Equal(("RollingUpdate", "0", "1"), (spec.DeploymentUpdateStrategy!.Type, spec.DeploymentUpdateStrategy.RollingUpdate.MaxUnavailable.Value, spec.DeploymentUpdateStrategy.RollingUpdate.MaxSurge.Value));
        Assert.Equal("1", spec.PodDisruptionBudget!.MinAvailable!.Value);
        Assert.NotNull(spec.ReadinessProbe);
        Assert.Equal(Rollout.CollectorGracePeriodSeconds, spec.TerminationGracePeriodSeconds);
        // Spread over nodes by the labels the operator puts on the collector's pods.
        AssertSpreadOverNodes(Assert.Single(spec.TopologySpreadConstraints!), OpenTelemetryCollectorResource.PodSelectorLabels(Bundle.Settings.Namespace, Bundle.Collector));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_collector_keeps_each_sending_queue_in_file_storage_on_a_capped_writable_volume(string overlay)
    {
        var (config, pod, volumes, mounts) = CollectorPod(overlay);

        Assert.Equal(CollectorConfig.QueueDirectory, (string?)config["extensions"]![CollectorConfig.QueueStorageExtension]!["directory"]);
        Assert.Contains(CollectorConfig.QueueStorageExtension, config["service"]!["extensions"]!.AsArray().Select(name => (string?)name));
        var queues = config["exporters"]!.AsObject().Where(exporter => exporter.Value!["sending_queue"] is not null).ToList();
        // The three OTLP exporters (X-Ray traces, CloudWatch Logs, CloudWatch metrics).
        Assert.Equal(
            [CollectorConfig.CloudWatchLogsExporter, CollectorConfig.CloudWatchMetricsExporter, CollectorConfig.XRayOtlpExporter],
            queues.Select(exporter => exporter.Key).Order(StringComparer.Ordinal));
        Assert.All(queues, exporter =>
        {
            var queue = exporter.Value!["sending_queue"]!;
            Assert.Equal((CollectorConfig.QueueStorageExtension, "bytes", CollectorConfig.QueueMaxBytes), ((string?)queue["storage"], (string?)queue["sizer"], (long)queue["queue_size"]!));
        });

        var mount = Assert.Single(mounts, mount => mount.MountPath == CollectorConfig.QueueDirectory);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        var volume = Assert.Single(volumes, volume => volume.Name == mount.Name);
        Assert.Equal(CollectorConfig.QueueVolumeSizeLimit, volume.EmptyDir.SizeLimit.ToString());
        // The emptyDir is group-owned by fsGroup, the collector's own group, so uid 4317 can write it.
        Assert.Equal(pod.RunAsGroup, pod.FsGroup);
    }

    private static (System.Text.Json.Nodes.JsonNode Config, V1PodSecurityContext Pod, IList<V1Volume> Volumes, IList<V1VolumeMount> Mounts) CollectorPod(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        if (overlay == EksBundle.AdotAddonFolder)
        {
            var spec = objects.Single<OpenTelemetryCollectorResource>(Bundle.Collector).Spec;
            var config = YamlJson.Documents(Kustomize.Render(overlay)).Single(doc => (string?)doc!["kind"] == OpenTelemetryCollectorResource.KubeKind)!["spec"]!["config"]!;
            return (config, spec.PodSecurityContext!, spec.Volumes!, spec.VolumeMounts!);
        }

        var pod = objects.Single<V1Deployment>(Bundle.Collector).Spec.Template.Spec;
        var configMap = objects.Single<V1ConfigMap>(Assert.Single(pod.Volumes, volume => volume.ConfigMap is not null).ConfigMap.Name);
        return (YamlJson.Documents(configMap.Data[KubernetesObjects.ConfigFileName]).Single()!, pod.SecurityContext, pod.Volumes, Assert.Single(pod.Containers).VolumeMounts);
    }

    private static void AssertRollsWithoutAGap(V1Deployment deployment, IReadOnlyList<object> objects)
    {
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal(("0", "1"), (deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value));
        // Aspirate writes 60: a ready pod would wait a minute before it counts as available.
        Assert.Equal(0, deployment.Spec.MinReadySeconds ?? 0);
        // Two replicas on two nodes when it can, but a pod still lands on a one-node cluster.
        AssertSpreadOverNodes(Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints), deployment.Spec.Template.Metadata.Labels);
        var budget = objects.Single<V1PodDisruptionBudget>(deployment.Metadata.Name);
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    private static void AssertSpreadOverNodes(V1TopologySpreadConstraint spread, IDictionary<string, string> podLabels)
    {
        Assert.Equal((1, "kubernetes.io/hostname", "ScheduleAnyway"), (spread.MaxSkew, spread.TopologyKey, spread.WhenUnsatisfiable));
        Assert.NotEmpty(spread.LabelSelector.MatchLabels);
        Assert.All(spread.LabelSelector.MatchLabels, label => Assert.Equal(label.Value, podLabels[label.Key]));
    }
}
