using k8s.Models;
using Microsoft.Extensions.Hosting;

namespace AppHost.Eks;

/// <summary>
/// How the collector and the projects roll on EKS without a gap: two pods, spread over nodes, a new
/// one ready before an old one goes, a disruption budget that keeps one through drains, and grace
/// periods longer than each process's own drain. Aspirate 9.1 writes <c>replicas: 1</c>, <c>strategy: Recreate</c>
/// and <c>minReadySeconds: 60</c> into every Deployment from a fixed template (its
/// <c>Templates/deployment.hbs</c>; no option changes them), so the overlays set these fields.
/// </summary>
internal static class Rollout
{
    /// <summary>Pods per Deployment: a rollout or a node drain always leaves one serving.</summary>
    public const int Replicas = 2;

    /// <summary>The node label pods are spread over: one node is one failure domain.</summary>
    public const string NodeTopologyKey = "kubernetes.io/hostname";

    /// <summary>
    /// Spread, not required: the scheduler prefers a node with fewer of the pods, but still places a pod
    /// when only one node can take it (a one-node cluster, or a node down).
    /// </summary>
    public const string SpreadWhenUnsatisfiable = "ScheduleAnyway";

    /// <summary>Pods a voluntary disruption (drain, upgrade) must leave running.</summary>
    public const int MinAvailable = 1;

    /// <summary>
    /// SampleApi waits this long after its pod starts terminating before it gets SIGTERM, so the
    /// endpoints controller and kube-proxy stop sending it requests first.
    /// </summary>
    public const int PreStopPauseSeconds = 10;

    /// <summary>
    /// SampleApi's grace period: the pause, then the host's stop and the SDK's flush into the export
    /// buffer, then the buffer's own flush (<see cref="ServiceDefaultsExtensions.ExportFlushSeconds"/>), with room to spare.
    /// </summary>
    public const int ProjectGracePeriodSeconds = 45;

    /// <summary>
    /// The collector's grace period (Aspirate's own value, kept on both routes): far longer than its
    /// drain, the in-flight export requests bounded by the exporters' timeouts.
    /// </summary>
    public const int CollectorGracePeriodSeconds = 180;

    /// <summary>A new pod first (surge 1), no old pod gone before it is ready (unavailable 0).</summary>
    public static V1DeploymentStrategy Strategy() => new()
    {
        Type = "RollingUpdate",
        RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
    };

    /// <summary>
    /// Sets the rollout fields on a Deployment patch whose pods carry <paramref name="pods"/>;
    /// <c>minReadySeconds: 0</c> makes a ready pod available at once.
    /// </summary>
    public static V1Deployment Rolling(this V1Deployment patch, int gracePeriodSeconds, IDictionary<string, string> pods)
    {
        patch.Spec.Replicas = Replicas;
        patch.Spec.Template.Spec.TopologySpreadConstraints = [SpreadOverNodes(pods)];
        patch.Spec.MinReadySeconds = 0;
        patch.Spec.Strategy = Strategy();
        patch.Spec.Template.Spec.TerminationGracePeriodSeconds = gracePeriodSeconds;
        return patch;
    }

    /// <summary>
    /// Spreads a resource's pods over nodes (at most one more on any node than on another, when it can),
    /// so losing one node, an involuntary disruption no budget covers, does not take every replica.
    /// </summary>
    public static V1TopologySpreadConstraint SpreadOverNodes(IDictionary<string, string> pods) => new()
    {
        MaxSkew = 1,
        TopologyKey = NodeTopologyKey,
        WhenUnsatisfiable = SpreadWhenUnsatisfiable,
        LabelSelector = new V1LabelSelector { MatchLabels = pods },
    };

    /// <summary>A budget that keeps <see cref="MinAvailable"/> of a resource's pods through voluntary disruptions.</summary>
    public static V1PodDisruptionBudget ToPodDisruptionBudget(string name, IDictionary<string, string> pods) => new()
    {
        ApiVersion = $"{V1PodDisruptionBudget.KubeGroup}/{V1PodDisruptionBudget.KubeApiVersion}",
        Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec { MinAvailable = MinAvailable, Selector = new V1LabelSelector { MatchLabels = pods } },
    };

    /// <summary>The pause before SIGTERM, as Kubernetes' sleep action (no shell or binary needed in the image).</summary>
    public static V1Lifecycle PreStopPause() => new()
    {
        PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = PreStopPauseSeconds } },
    };

    /// <summary>The file a resource's budget is written to.</summary>
    public static string BudgetFile(string resource) => $"{resource}-pdb.yaml";
}
