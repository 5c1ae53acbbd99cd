using AppHost.Eks;
using k8s.Models;

namespace AppHost.Tests.Eks;

/// <summary>
/// On every route only the projects' pods reach the collector's OTLP ports: the rendered NetworkPolicy's
/// selectors are checked against the labels the pods really carry (Aspirate's output, or the operator's).
/// </summary>
public class EksNetworkPolicyTests
{
    private const int HealthPort = 13133;

    private static readonly Dictionary<string, string> OtherPod = new() { ["app"] = "curl" };

    public static TheoryData<string> Overlays => [.. Bundle.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_apps_pods_reach_the_collectors_otlp_ports_and_anything_reaches_its_health_port(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        var policy = Assert.Single(objects.OfType<V1NetworkPolicy>()).Spec;
        var sampleApi = objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Metadata.Labels;
        var otlpPorts = CollectorOtlpPorts(objects, overlay);

        Assert.Equal(["Ingress"], policy.PolicyTypes);
        Assert.True(Selects(policy.PodSelector, CollectorPods(objects, overlay)), "the policy must select the collector's pods");
        Assert.False(Selects(policy.PodSelector, sampleApi), "the policy must leave the app's own pods alone");
        Assert.Equal([4317, 4318], otlpPorts);
        foreach (var port in otlpPorts)
        {
            Assert.True(Admits(policy, sampleApi, port), $"sampleapi → {port}");
            Assert.False(Admits(policy, OtherPod, port), $"another pod → {port}");
        }

        // The kubelet's probes come from the node, which no pod selector names.
        Assert.True(Admits(policy, OtherPod, HealthPort));
        Assert.False(Admits(policy, sampleApi, 8888), "no other port is open");
    }

    [Fact]
    public void On_the_addon_route_the_operator_writes_no_policy_of_its_own_that_would_admit_every_pod()
    {
        var collector = Kustomize.Objects(EksBundle.AdotAddonFolder).Single<OpenTelemetryCollectorResource>(Bundle.Collector);

        Assert.False(collector.Spec.NetworkPolicy!.Enabled);
    }

    [Fact]
    public void Operator_instance_label_is_cut_to_63_characters_from_the_namespace_first()
    {
        var longNamespace = new string('n', 60);

        var instance = OpenTelemetryCollectorResource.PodSelectorLabels(longNamespace, "collector")["app.kubernetes.io/instance"];

        Assert.Equal($"{new string('n', 53)}.collector", instance);
    }

    /// <summary>
    /// Route 1: the labels of Aspirate's collector Deployment, which its Service selects by. Route 2: the
    /// labels the operator gives a collector's pods, written out here from its source
    /// (internal/manifests/manifestutils/labels.go, SelectorLabels, at v0.151.0).
    /// </summary>
    private static IDictionary<string, string> CollectorPods(List<object> objects, string overlay)
    {
        if (overlay != EksBundle.AdotAddonFolder)
        {
            var labels = objects.Single<V1Deployment>(Bundle.Collector).Spec.Template.Metadata.Labels;
            Assert.All(objects.Single<V1Service>(Bundle.Collector).Spec.Selector, selector => Assert.Equal(selector.Value, labels[selector.Key]));
            return labels;
        }

        var collector = objects.Single<OpenTelemetryCollectorResource>(Bundle.Collector);
        return new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = "opentelemetry-operator",
            ["app.kubernetes.io/instance"] = $"{Bundle.Settings.Namespace}.{collector.Metadata.Name}",
            ["app.kubernetes.io/part-of"] = "opentelemetry",
            ["app.kubernetes.io/component"] = "opentelemetry-collector",
            // Further labels the operator adds, which the selector must not depend on.
            ["app.kubernetes.io/name"] = $"{collector.Metadata.Name}-collector",
            ["app.kubernetes.io/version"] = "v0.49.0",
        };
    }

    /// <summary>The OTLP ports the collector serves: its Service's (route 1) or its receiver's endpoints (route 2, where the operator derives the Service from them).</summary>
    private static List<int> CollectorOtlpPorts(List<object> objects, string overlay)
    {
        if (overlay != EksBundle.AdotAddonFolder)
        {
            return [.. objects.Single<V1Service>(Bundle.Collector).Spec.Ports.Where(port => port.Name is "grpc" or "http").Select(port => port.Port).Order()];
        }

        var config = YamlJson.Documents(Kustomize.Render(overlay)).Single(doc => (string?)doc!["kind"] == OpenTelemetryCollectorResource.KubeKind)!["spec"]!["config"]!;
        var protocols = config["receivers"]!["otlp"]!["protocols"]!.AsObject();
        return [.. protocols.Select(protocol => int.Parse(((string)protocol.Value!["endpoint"]!).Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture)).Order()];
    }

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchExpressions is null
        && selector.MatchLabels.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value);

    /// <summary>Whether a pod of the policy's namespace with <paramref name="source"/> labels may open TCP <paramref name="port"/>.</summary>
    private static bool Admits(V1NetworkPolicySpec policy, IDictionary<string, string> source, int port) =>
        policy.Ingress.Any(rule =>
            (rule.FromProperty is null || rule.FromProperty.Any(peer =>
                peer.NamespaceSelector is null && peer.IpBlock is null && peer.PodSelector is not null && Selects(peer.PodSelector, source)))
            && (rule.Ports is null || rule.Ports.Any(allowed => allowed.Protocol == "TCP" && allowed.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}
