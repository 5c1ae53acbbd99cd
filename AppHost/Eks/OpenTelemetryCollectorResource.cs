using k8s;
using k8s.Models;

namespace AppHost.Eks;

/// <summary>
/// The OpenTelemetry operator's <c>OpenTelemetryCollector</c> (<c>opentelemetry.io/v1beta1</c>), which
/// the ADOT EKS add-on serves; only the fields this bundle sets.
/// </summary>
internal sealed class OpenTelemetryCollectorResource : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "opentelemetry.io";
    public const string KubeApiVersion = "v1beta1";
    public const string KubeKind = "OpenTelemetryCollector";

    private const int MaxLabelValueLength = 63;

    public string ApiVersion { get; set; } = $"{KubeGroup}/{KubeApiVersion}";

    public string Kind { get; set; } = KubeKind;

    public V1ObjectMeta Metadata { get; set; } = new();

    public OpenTelemetryCollectorSpec Spec { get; set; } = new();

    /// <summary>
    /// The labels the operator puts on this collector's pods and selects them by (its Service's selector):
    /// <c>SelectorLabels</c> in internal/manifests/manifestutils/labels.go of opentelemetry-operator v0.151.0.
    /// </summary>
    public static Dictionary<string, string> PodSelectorLabels(string @namespace, string name) => new()
    {
        ["app.kubernetes.io/managed-by"] = "opentelemetry-operator",
        ["app.kubernetes.io/instance"] = InstanceLabel(@namespace, name),
        ["app.kubernetes.io/part-of"] = "opentelemetry",
        ["app.kubernetes.io/component"] = "opentelemetry-collector",
    };

    /// <summary>
    /// <c>{namespace}.{name}</c>, cut to a label value's 63 characters the operator's way (naming.Truncate):
    /// the namespace loses characters first, then non-alphanumeric ends are trimmed.
    /// </summary>
    private static string InstanceLabel(string @namespace, string name)
    {
        var excess = @namespace.Length + 1 + name.Length - MaxLabelValueLength;
        var instance = excess <= 0 ? $"{@namespace}.{name}"
            : excess < @namespace.Length ? $"{@namespace[..^excess]}.{name}"
            : $".{name[..^Math.Min(name.Length, excess - @namespace.Length)]}";
        // A namespace and a resource name hold no other non-alphanumeric characters than these.
        return instance.Length > MaxLabelValueLength ? instance[..MaxLabelValueLength] : instance.Trim('.', '-');
    }
}

/// <summary>The CR's <c>spec</c>; the operator fills in the rest (ports, Service, probe handlers).</summary>
internal sealed class OpenTelemetryCollectorSpec
{
    /// <summary><c>deployment</c>, <c>daemonset</c>, <c>statefulset</c> or <c>sidecar</c>.</summary>
    public string? Mode { get; set; }

    public int? Replicas { get; set; }

    /// <summary>How the operator's Deployment rolls.</summary>
    public V1DeploymentStrategy? DeploymentUpdateStrategy { get; set; }

    /// <summary>The PodDisruptionBudget the operator writes for the collector's pods.</summary>
    public OperatorPodDisruptionBudget? PodDisruptionBudget { get; set; }

    /// <summary>Copied by the operator into its Deployment's pod template.</summary>
    public IList<V1TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public string? Image { get; set; }

    public string? ServiceAccount { get; set; }

    /// <summary>The collector configuration as structured YAML (v1beta1), not a string.</summary>
    public IDictionary<string, object>? Config { get; set; }

    public V1ResourceRequirements? Resources { get; set; }

    public V1PodSecurityContext? PodSecurityContext { get; set; }

    public V1SecurityContext? SecurityContext { get; set; }

    /// <summary>Tunes the probes the operator points at the health_check extension.</summary>
    public OperatorProbe? ReadinessProbe { get; set; }

    /// <summary>Tunes the probes the operator points at the health_check extension.</summary>
    public OperatorProbe? LivenessProbe { get; set; }

    public IList<V1Volume>? Volumes { get; set; }

    public IList<V1VolumeMount>? VolumeMounts { get; set; }

    /// <summary>Whether the operator writes a NetworkPolicy of its own for the collector.</summary>
    public OperatorNetworkPolicy? NetworkPolicy { get; set; }
}

/// <summary>The CR's <c>spec.podDisruptionBudget</c>.</summary>
internal sealed class OperatorPodDisruptionBudget
{
    public IntOrString? MinAvailable { get; set; }
}

/// <summary>The CR's <c>spec.networkPolicy</c>.</summary>
internal sealed class OperatorNetworkPolicy
{
    public bool? Enabled { get; set; }
}

/// <summary>A probe's timing; the operator supplies the handler.</summary>
internal sealed class OperatorProbe
{
    public int? PeriodSeconds { get; set; }

    public int? FailureThreshold { get; set; }
}
