using k8s.Models;
using Microsoft.Extensions.Hosting;
using Env = Microsoft.Extensions.Hosting.ResourceEnvironmentVariables;

namespace AppHost.Eks;

/// <summary>
/// The Kubernetes objects the EKS overlays add to Aspirate's output, as typed models. Patches name
/// only what they change; everything else stays as Aspirate wrote it.
/// </summary>
internal static class KubernetesObjects
{
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";
    public const string ConfigFileName = AdotCollectorBuilderExtensions.PublishedConfigFile;
    public const string ConfigDirectory = AdotCollectorBuilderExtensions.PublishedConfigDirectory;
    public const string TmpDirectory = "/tmp";
    public const string HttpPortName = "http";

    /// <summary>The label Aspirate puts on a resource's pods (and selects them by): <c>app: {resource}</c>.</summary>
    public const string AspirateAppLabel = "app";

    /// <summary>
    /// A pod template annotation naming the collector's AWS identity. The EKS credential webhooks set a pod's
    /// AWS variables only when the pod is created, so a change of identity must change the template.
    /// </summary>
    public const string AwsIdentityAnnotation = "aws-identity";
    public const string PodIdentity = "eks-pod-identity";

    /// <summary>APP_UID of the .NET runtime images the SDK's container publishing builds on.</summary>
    public const long ProjectUser = 1654;

    /// <summary>
    /// Set to 8080 by the .NET runtime images. Aspirate binds a project with ASPNETCORE_URLS, and ASP.NET Core
    /// logs "Overriding HTTP_PORTS" at every start when both are non-empty: the pod clears the image's.
    /// </summary>
    public const string ImageHttpPortsVariable = "ASPNETCORE_HTTP_PORTS";

    private const string PodSecurityLabelPrefix = "pod-security.kubernetes.io/";
    private const string ConfigVolume = "config";
    private const int ProbePeriodSeconds = 10;
    private const int ProbeFailureThreshold = 3;
    private const string TmpVolume = "tmp";
    private const string QueueVolume = "queue";

    /// <summary>The collector's ConfigMap, before kustomize adds its content hash.</summary>
    public static string ConfigMapName(EksCollector collector) => $"{collector.Name}-config";

    /// <summary>The namespace, enforcing (and auditing and warning on) the restricted Pod Security Standard.</summary>
    public static V1Namespace ToNamespace(EksSettings settings) => new()
    {
        ApiVersion = V1Namespace.KubeApiVersion,
        Kind = V1Namespace.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = settings.Namespace,
            Labels = new Dictionary<string, string>
            {
                [PodSecurityLabelPrefix + "enforce"] = RestrictedPod.Level,
                [PodSecurityLabelPrefix + "audit"] = RestrictedPod.Level,
                [PodSecurityLabelPrefix + "warn"] = RestrictedPod.Level,
            },
        },
    };

    /// <summary>The collector's identity, which IRSA or an EKS Pod Identity association maps to its IAM role.</summary>
    public static V1ServiceAccount ToServiceAccount(EksCollector collector) => new()
    {
        ApiVersion = V1ServiceAccount.KubeApiVersion,
        Kind = V1ServiceAccount.KubeKind,
        Metadata = new V1ObjectMeta { Name = collector.Name },
    };

    /// <summary>The service account's patch for IRSA: annotated with the IAM role that may write to X-Ray.</summary>
    public static V1ServiceAccount ToIrsaServiceAccountPatch(EksCollector collector, EksSettings settings)
    {
        var patch = ToServiceAccount(collector);
        patch.Metadata.Annotations = new Dictionary<string, string> { [RoleArnAnnotation] = settings.CollectorRoleArn };
        return patch;
    }

    /// <summary>A project's own identity on the direct route, annotated with its IAM role for IRSA (or not, for Pod Identity).</summary>
    public static V1ServiceAccount ToProjectServiceAccount(string project, string? irsaRoleArn) => new()
    {
        ApiVersion = V1ServiceAccount.KubeApiVersion,
        Kind = V1ServiceAccount.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = project,
            Annotations = irsaRoleArn is null ? null : new Dictionary<string, string> { [RoleArnAnnotation] = irsaRoleArn },
        },
    };

    /// <summary>
    /// A project Deployment's patch on the direct route: it runs as its own service account, whose role signs its
    /// exports; with Pod Identity, the pod template is marked so (a change of identity needs a new pod).
    /// </summary>
    public static V1Deployment ToDirectIdentityPatch(string project, bool podIdentity)
    {
        var patch = DeploymentPatch(project, new V1PodSpec { ServiceAccountName = project });
        if (podIdentity)
        {
            patch.Spec.Template.Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [AwsIdentityAnnotation] = PodIdentity } };
        }

        return patch;
    }

    /// <summary>
    /// The collector Deployment's patch: the generated ConfigMap mounted where its <c>--config</c> points
    /// (by content hash, so a change rolls the pod), the IRSA service account, probes on the
    /// health_check port, a restricted pod.
    /// </summary>
    public static V1Deployment ToCollectorDeploymentPatch(EksCollector collector) =>
        RollingDeploymentPatch(collector.Name, Rollout.CollectorGracePeriodSeconds, new V1PodSpec
        {
            ServiceAccountName = collector.Name,
            // IRSA mounts its own projected token; the Kubernetes API token is not needed.
            AutomountServiceAccountToken = false,
            SecurityContext = CollectorPod(),
            Containers =
            [
                new V1Container
                {
                    Name = collector.Name,
                    ReadinessProbe = HttpProbe("/", collector.HealthPort),
                    LivenessProbe = HttpProbe("/", collector.HealthPort),
                    Resources = CollectorResources(),
                    SecurityContext = RestrictedPod.Container(),
                    VolumeMounts =
                    [
                        new V1VolumeMount { Name = ConfigVolume, MountPath = ConfigDirectory, ReadOnlyProperty = true },
                        .. CollectorMounts(),
                    ],
                },
            ],
            Volumes =
            [
                new V1Volume { Name = ConfigVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = ConfigMapName(collector) } },
                .. CollectorVolumes(),
            ],
        });

    /// <summary>
    /// A project Deployment's patch: health probes, its service name and where it runs (downward API
    /// and the cluster name, read by ServiceDefaults' resource detector), one port binding, a restricted pod.
    /// </summary>
    public static V1Deployment ToProjectDeploymentPatch(string project, EksSettings settings) =>
        RollingDeploymentPatch(project, Rollout.ProjectGracePeriodSeconds, new V1PodSpec
        {
            AutomountServiceAccountToken = false,
            SecurityContext = RestrictedPod.Pod(ProjectUser),
            Containers =
            [
                new V1Container
                {
                    Name = project,
                    Env =
                    [
                        new V1EnvVar { Name = Env.OtelServiceName, Value = project },
                        FieldEnv(Env.PodName, "metadata.name"),
                        FieldEnv(Env.NamespaceName, "metadata.namespace"),
                        FieldEnv(Env.NodeName, "spec.nodeName"),
                        new V1EnvVar { Name = Env.ClusterName, Value = settings.ClusterName },
                        new V1EnvVar { Name = ImageHttpPortsVariable, Value = string.Empty },
                    ],
                    ReadinessProbe = HttpProbe(ServiceDefaultsExtensions.HealthEndpointPath, HttpPortName),
                    Lifecycle = Rollout.PreStopPause(),
                    LivenessProbe = HttpProbe(ServiceDefaultsExtensions.AlivenessEndpointPath, HttpPortName),
                    Resources = RestrictedPod.Resources("100m", $"{PodMemory.RequestMiB(settings.ImageBuild)}Mi", "500m", $"{PodMemory.LimitMiB(settings.ImageBuild)}Mi"),
                    SecurityContext = RestrictedPod.Container(),
                    VolumeMounts = [new V1VolumeMount { Name = TmpVolume, MountPath = TmpDirectory }],
                },
            ],
            Volumes = [RestrictedPod.EmptyDir(TmpVolume)],
        });

    /// <summary>
    /// A patch of the environment ConfigMap Aspirate wrote for a project (<c>{project}-env</c>): OTLP goes to
    /// the Service the operator creates for the collector.
    /// </summary>
    public static V1ConfigMap ToOperatorEndpointPatch(string project, EksCollector collector) => new()
    {
        ApiVersion = V1ConfigMap.KubeApiVersion,
        Kind = V1ConfigMap.KubeKind,
        Metadata = new V1ObjectMeta { Name = EnvironmentConfigMapName(project) },
        Data = new Dictionary<string, string>
        {
            [AdotCollectorBuilderExtensions.OtlpEndpointVariable] = $"http://{collector.OperatorServiceName}:{collector.GrpcPort}",
        },
    };

    /// <summary>The ConfigMap Aspirate puts a resource's environment in.</summary>
    public static string EnvironmentConfigMapName(string resource) => $"{resource}-env";

    /// <summary>
    /// The collector for the ADOT add-on's operator: the same configuration as the Deployment route
    /// (structured, as v1beta1 wants it), the pinned image, the IRSA service account, a restricted pod.
    /// </summary>
    public static OpenTelemetryCollectorResource ToOpenTelemetryCollector(EksCollector collector, EksSettings settings) => new()
    {
        Metadata = new V1ObjectMeta { Name = collector.Name },
        Spec = new OpenTelemetryCollectorSpec
        {
            Mode = "deployment",
            Replicas = Rollout.Replicas,
            DeploymentUpdateStrategy = Rollout.Strategy(),
            PodDisruptionBudget = new OperatorPodDisruptionBudget { MinAvailable = Rollout.MinAvailable },
            TopologySpreadConstraints = [Rollout.SpreadOverNodes(OpenTelemetryCollectorResource.PodSelectorLabels(settings.Namespace, collector.Name))],
            TerminationGracePeriodSeconds = Rollout.CollectorGracePeriodSeconds,
            Image = $"{collector.Image}:{collector.Tag}",
            ServiceAccount = collector.Name,
            Config = ToCollectorConfig(settings).ToModel(),
            Resources = CollectorResources(),
            PodSecurityContext = CollectorPod(),
            SecurityContext = RestrictedPod.Container(),
            ReadinessProbe = new OperatorProbe { PeriodSeconds = ProbePeriodSeconds, FailureThreshold = ProbeFailureThreshold },
            LivenessProbe = new OperatorProbe { PeriodSeconds = ProbePeriodSeconds, FailureThreshold = ProbeFailureThreshold },
            Volumes = CollectorVolumes(),
            VolumeMounts = CollectorMounts(),
            // The operator's own policy would admit every pod on every port, and policies add up.
            NetworkPolicy = new OperatorNetworkPolicy { Enabled = false },
        },
    };

    /// <summary>
    /// Only the projects' pods may reach the collector's OTLP ports; its health port stays open for the
    /// kubelet's probes, which come from the node and no pod selector can name.
    /// </summary>
    /// <param name="collector">The collector.</param>
    /// <param name="collectorPods">The labels that select the collector's pods on this route.</param>
    /// <param name="projects">The projects, whose pods Aspirate labels <c>app: {project}</c>.</param>
    public static V1NetworkPolicy ToCollectorNetworkPolicy(EksCollector collector, IDictionary<string, string> collectorPods, IEnumerable<string> projects) => new()
    {
        ApiVersion = $"{V1NetworkPolicy.KubeGroup}/{V1NetworkPolicy.KubeApiVersion}",
        Kind = V1NetworkPolicy.KubeKind,
        Metadata = new V1ObjectMeta { Name = $"{collector.Name}-ingress" },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = collectorPods },
            PolicyTypes = ["Ingress"],
            Ingress =
            [
                new V1NetworkPolicyIngressRule
                {
                    FromProperty = [.. projects.Select(project => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = AspiratePodLabels(project) } })],
                    Ports = [TcpPort(collector.GrpcPort), TcpPort(collector.HttpPort)],
                },
                new V1NetworkPolicyIngressRule { Ports = [TcpPort(collector.HealthPort)] },
            ],
        },
    };

    /// <summary>The labels of the pods Aspirate writes for <paramref name="resource"/>.</summary>
    public static Dictionary<string, string> AspiratePodLabels(string resource) => new() { [AspirateAppLabel] = resource };

    /// <summary>
    /// The collector Deployment's pod template, marked as using EKS Pod Identity: applying it creates a
    /// new pod, which the Pod Identity webhook then gives the agent's credentials.
    /// </summary>
    public static V1Deployment ToPodIdentityRolloutPatch(EksCollector collector)
    {
        var patch = DeploymentPatch(collector.Name, new V1PodSpec());
        patch.Spec.Template.Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [AwsIdentityAnnotation] = PodIdentity } };
        return patch;
    }

    /// <summary>
    /// The collector's configuration on EKS: the AppHost's own definition, its three AWS pipelines in the
    /// EKS region, the sending queues on the queue volume.
    /// </summary>
    public static CollectorConfig ToCollectorConfig(EksSettings settings) =>
        new CollectorConfig().WithAws(settings.Region, settings.Telemetry).WithPersistentQueues();

    /// <summary>The collector's restricted pod; fsGroup makes its volumes group-owned and writable by the collector's uid/gid.</summary>
    private static V1PodSecurityContext CollectorPod()
    {
        var pod = RestrictedPod.Pod(AdotCollectorImage.User);
        pod.FsGroup = AdotCollectorImage.User;
        return pod;
    }

    /// <summary>The collector's writable folders: /tmp, and the sending queues' folder, capped (the kubelet evicts the pod above the cap).</summary>
    private static List<V1Volume> CollectorVolumes() =>
    [
        RestrictedPod.EmptyDir(TmpVolume),
        new V1Volume { Name = QueueVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(CollectorConfig.QueueVolumeSizeLimit) } },
    ];

    private static List<V1VolumeMount> CollectorMounts() =>
    [
        new V1VolumeMount { Name = TmpVolume, MountPath = TmpDirectory },
        new V1VolumeMount { Name = QueueVolume, MountPath = CollectorConfig.QueueDirectory },
    ];

    private static V1ResourceRequirements CollectorResources() => RestrictedPod.Resources("100m", "128Mi", "500m", "512Mi");

    private static V1Deployment DeploymentPatch(string name, V1PodSpec pod) => new()
    {
        ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
        Kind = V1Deployment.KubeKind,
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec { Template = new V1PodTemplateSpec { Spec = pod } },
    };

    private static V1Deployment RollingDeploymentPatch(string name, int gracePeriodSeconds, V1PodSpec pod) =>
        DeploymentPatch(name, pod).Rolling(gracePeriodSeconds, AspiratePodLabels(name));

    private static V1NetworkPolicyPort TcpPort(int port) => new() { Protocol = "TCP", Port = port };

    private static V1Probe HttpProbe(string path, IntOrString port) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = ProbePeriodSeconds,
        FailureThreshold = ProbeFailureThreshold,
    };

    private static V1EnvVar FieldEnv(string name, string fieldPath) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } },
    };
}
