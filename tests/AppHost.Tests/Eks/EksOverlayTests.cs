using AppHost.Eks;
using k8s.Models;
using Env = Microsoft.Extensions.Hosting.ResourceEnvironmentVariables;

namespace AppHost.Tests.Eks;

/// <summary>The committed overlays, rendered by kubectl's kustomize and read as KubernetesClient's typed models.</summary>
public class EksOverlayTests
{
    public static TheoryData<string> Overlays => [.. Bundle.Overlays];

    public static TheoryData<string> AllOverlays => [.. Bundle.AllOverlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_into_typed_objects_all_in_the_namespace(string overlay)
    {
        var objects = Kustomize.Objects(overlay);

        var kinds = objects.Select(item => item.GetType().Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            overlay == EksBundle.AdotAddonFolder
                ? ["OpenTelemetryCollectorResource", "V1ConfigMap", "V1Deployment", "V1Namespace", "V1NetworkPolicy", "V1PodDisruptionBudget", "V1Service", "V1ServiceAccount"]
                : ["V1ConfigMap", "V1ConfigMap", "V1ConfigMap", "V1Deployment", "V1Deployment", "V1Namespace", "V1NetworkPolicy", "V1PodDisruptionBudget", "V1PodDisruptionBudget", "V1Service", "V1Service", "V1ServiceAccount"],
            kinds);
        var ns = Assert.Single(objects.OfType<V1Namespace>());
        Assert.Equal(Bundle.Settings.Namespace, ns.Metadata.Name);
        Assert.All(objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Where(item => item is not V1Namespace),
            item => Assert.Equal(Bundle.Settings.Namespace, item.Metadata.NamespaceProperty));
    }

    [Fact]
    public void SampleApi_sends_otlp_grpc_to_the_collector_service_port_4317()
    {
        var objects = Kustomize.Objects(EksBundle.EksFolder);

        var environment = objects.Single<V1ConfigMap>("sampleapi-env").Data;
        Assert.Equal("http://collector:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var grpc = Assert.Single(objects.Single<V1Service>(Bundle.Collector).Spec.Ports, port => port.Name == "grpc");
        Assert.Equal((4317, "4317"), (grpc.Port, grpc.TargetPort.Value));
    }

    [Fact]
    public void On_the_addon_route_sampleapi_sends_otlp_to_the_service_the_operator_creates()
    {
        var objects = Kustomize.Objects(EksBundle.AdotAddonFolder);

        var collector = objects.Single<OpenTelemetryCollectorResource>(Bundle.Collector);
        // The operator names the Service of collector CR "X" "X-collector".
        Assert.Equal($"http://{collector.Metadata.Name}-collector:4317", objects.Single<V1ConfigMap>("sampleapi-env").Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("deployment", collector.Spec.Mode);
        Assert.DoesNotContain(objects.OfType<V1Deployment>(), deployment => deployment.Metadata.Name == Bundle.Collector);
    }

    [Fact]
    public void Collector_config_map_and_cr_carry_the_apphost_collector_definition_with_aws_in_the_region()
    {
        var configMap = Assert.Single(Kustomize.Objects(EksBundle.EksFolder).OfType<V1ConfigMap>(), map => map.Metadata.Name.StartsWith("collector-config-", StringComparison.Ordinal));
        var fromConfigMap = YamlJson.Documents(configMap.Data[KubernetesObjects.ConfigFileName]).Single()!;
        var fromCr = YamlJson.Documents(Kustomize.Render(EksBundle.AdotAddonFolder)).Single(doc => (string?)doc!["kind"] == "OpenTelemetryCollector")!["spec"]!["config"]!;

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(fromConfigMap, fromCr), "The ConfigMap and the CR must carry the same configuration.");
        // Byte for byte the AppHost's own definition for the EKS settings, nothing added on the way.
        var definition = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(KubernetesObjects.ToCollectorConfig(Bundle.Settings).ToModel()));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(definition, fromCr), "The CR must carry the collector definition.");
        Assert.Equal("0.0.0.0:4317", (string?)fromCr["receivers"]!["otlp"]!["protocols"]!["grpc"]!["endpoint"]);
        Assert.Equal("0.0.0.0:4318", (string?)fromCr["receivers"]!["otlp"]!["protocols"]!["http"]!["endpoint"]);
        Assert.Equal("0.0.0.0:13133", (string?)fromCr["extensions"]!["health_check"]!["endpoint"]);
        Assert.Equal($"https://xray.{Bundle.Settings.Region}.amazonaws.com/v1/traces", (string?)fromCr["exporters"]!["otlp_http/xray"]!["traces_endpoint"]);
        Assert.Equal(Bundle.Settings.Region, (string?)fromCr["extensions"]!["sigv4auth/xray"]!["region"]);
        Assert.Equal($"https://monitoring.{Bundle.Settings.Region}.amazonaws.com/v1/metrics", (string?)fromCr["exporters"]!["otlp_http/cloudwatch-metrics"]!["metrics_endpoint"]);
        Assert.Equal(Bundle.Settings.Region, (string?)fromCr["extensions"]!["sigv4auth/monitoring"]!["region"]);
        Assert.Equal(["logs/aws", "metrics/aws", "traces/aws"], fromCr["service"]!["pipelines"]!.AsObject().Select(pipeline => pipeline.Key).Order());
    }

    [Fact]
    public void Collector_mounts_its_config_map_by_content_hash_so_a_config_change_rolls_the_pod()
    {
        var objects = Kustomize.Objects(EksBundle.EksFolder);
        var configMap = Assert.Single(objects.OfType<V1ConfigMap>(), map => map.Metadata.Name.StartsWith("collector-config-", StringComparison.Ordinal));
        var pod = objects.Single<V1Deployment>(Bundle.Collector).Spec.Template.Spec;
        Assert.Equal(configMap.Metadata.Name, Assert.Single(pod.Volumes, volume => volume.ConfigMap is not null).ConfigMap.Name);
        Assert.Equal("--config=/conf/collector.yaml", Assert.Single(pod.Containers[0].Args));

        // The same bundle with one changed configuration value renders a differently named ConfigMap.
        var copy = Directory.CreateTempSubdirectory("eks-hash-").FullName;
        try
        {
            FolderSnapshot.Copy(Repository.Manifests, copy);
            var config = Path.Combine(copy, EksBundle.CollectorDeploymentFolder, KubernetesObjects.ConfigFileName);
            File.WriteAllText(config, File.ReadAllText(config).Replace("check_interval: 1s", "check_interval: 2s", StringComparison.Ordinal));
            var changed = Kustomize.RenderFolder(Path.Combine(copy, EksBundle.EksFolder));
            Assert.DoesNotContain(configMap.Metadata.Name, changed, StringComparison.Ordinal);
            Assert.Contains("collector-config-", changed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Collector_probes_the_health_check_port_and_runs_as_the_irsa_service_account()
    {
        var pod = Kustomize.Objects(EksBundle.EksFolder).Single<V1Deployment>(Bundle.Collector).Spec.Template.Spec;

        var container = Assert.Single(pod.Containers);
        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe })
        {
            Assert.Equal(("/", "13133"), (probe.HttpGet.Path, probe.HttpGet.Port.Value));
        }

        Assert.Equal(Bundle.Collector, pod.ServiceAccountName);
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void SampleApi_has_health_probes_its_service_name_where_it_runs_and_only_the_http_port(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        var container = Assert.Single(objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Spec.Containers);

        Assert.Equal(("/health", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/alive", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        var env = container.Env.ToDictionary(variable => variable.Name);
        Assert.Equal(Bundle.SampleApi, env[Env.OtelServiceName].Value);
        Assert.Equal("metadata.name", env[Env.PodName].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env[Env.NamespaceName].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.nodeName", env[Env.NodeName].ValueFrom.FieldRef.FieldPath);
        Assert.Equal(Bundle.Settings.ClusterName, env[Env.ClusterName].Value);
        Assert.Equal([("http", 8080)], container.Ports.Select(port => (port.Name, port.ContainerPort)));
        Assert.Equal([("http", 8080)], objects.Single<V1Service>(Bundle.SampleApi).Spec.Ports.Select(port => (port.Name, port.Port)));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Images_come_from_the_settings_and_the_pinned_collector_tag(string overlay)
    {
        var images = Kustomize.Objects(overlay).Containers().ToDictionary(item => item.Deployment, item => item.Container.Image);

        Assert.Equal($"{Bundle.Settings.ImageRegistry}/sampleapi:{Bundle.Settings.ImageTag}", images[Bundle.SampleApi]);
        var collectorImage = overlay == EksBundle.AdotAddonFolder
            ? Kustomize.Objects(overlay).Single<OpenTelemetryCollectorResource>(Bundle.Collector).Spec.Image
            : images[Bundle.Collector];
        Assert.Equal("public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0", collectorImage);
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void SampleApi_is_bound_by_aspnetcore_urls_alone_so_it_logs_no_port_override_warning(string overlay)
    {
        var environment = Kustomize.Objects(overlay).Single<V1ConfigMap>("sampleapi-env").Data;

        // ASP.NET Core logs "Overriding HTTP_PORTS ..." at startup when URLS and HTTP(S)_PORTS are both set.
        Assert.Equal("http://+:8080;", environment["ASPNETCORE_URLS"]);
        Assert.DoesNotContain("HTTP_PORTS", environment.Keys);
        Assert.DoesNotContain("HTTPS_PORTS", environment.Keys);
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void SampleApi_gets_no_sdk_retry_setting_on_any_route(string overlay)
    {
        var environment = Kustomize.Objects(overlay).Single<V1ConfigMap>("sampleapi-env").Data;

        Assert.DoesNotContain("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", environment.Keys);
        Assert.Equal(Bundle.DirectOverlays.Contains(overlay) ? "http/protobuf" : "grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public void Switching_route_1_to_pod_identity_changes_the_collector_pod_template_so_a_new_pod_is_created()
    {
        // The EKS credential webhooks set a pod's AWS variables only when the pod is created.
        V1PodTemplateSpec Template(string overlay) => Kustomize.Objects(overlay).Single<V1Deployment>(Bundle.Collector).Spec.Template;
        var irsa = Template(EksBundle.EksFolder);
        var podIdentity = Template(EksBundle.PodIdentityFolder);

        Assert.Null(irsa.Metadata.Annotations);
        Assert.Equal("eks-pod-identity", podIdentity.Metadata.Annotations[KubernetesObjects.AwsIdentityAnnotation]);
        // Everything else about the pod is the same on both.
        podIdentity.Metadata.Annotations = null;
        Assert.Equal(k8s.KubernetesYaml.Serialize(irsa), k8s.KubernetesYaml.Serialize(podIdentity));
    }
}
