using Microsoft.Extensions.Configuration;
using OpenTelemetry.Resources;
using Env = Microsoft.Extensions.Hosting.ResourceEnvironmentVariables;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service identity and place: <c>service.*</c>, <c>k8s.*</c> from downward-API variables, and
/// <c>cloud.*</c> when on EKS. Reads configuration, never the Kubernetes API.
/// </summary>
/// <remarks>
/// EKS means: in a pod (<c>KUBERNETES_SERVICE_HOST</c>) with an AWS hint (<c>AWS_REGION</c>,
/// <c>AWS_DEFAULT_REGION</c>, or the IRSA/Pod Identity credentials variables). ServiceDefaults
/// adds the SDK's environment detector after this one, so <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> still win.
/// </remarks>
internal sealed class ServiceResourceDetector(IConfiguration configuration, string applicationName, string? version)
    : IResourceDetector
{
    public const string ServiceName = "service.name";
    public const string ServiceVersion = "service.version";
    public const string ServiceInstanceId = "service.instance.id";
    public const string CloudProvider = "cloud.provider";
    public const string CloudPlatform = "cloud.platform";
    public const string CloudRegion = "cloud.region";
    public const string K8sNamespaceName = "k8s.namespace.name";
    public const string K8sPodName = "k8s.pod.name";
    public const string K8sNodeName = "k8s.node.name";
    public const string K8sClusterName = "k8s.cluster.name";
    public const string AwsProvider = "aws";
    public const string EksPlatform = "aws_eks";

    /// <summary>Identifies this process when no pod name is known.</summary>
    internal static readonly string ProcessInstanceId = Guid.NewGuid().ToString();

    public Resource Detect()
    {
        var podName = Read(Env.PodName);
        var attributes = new Dictionary<string, object>
        {
            [ServiceName] = Read(Env.OtelServiceName) ?? applicationName,
            [ServiceInstanceId] = podName ?? ProcessInstanceId,
        };
        Add(attributes, ServiceVersion, string.IsNullOrWhiteSpace(version) ? null : version);
        Add(attributes, K8sNamespaceName, Read(Env.NamespaceName));
        Add(attributes, K8sPodName, podName);
        Add(attributes, K8sNodeName, Read(Env.NodeName));
        Add(attributes, K8sClusterName, Read(Env.ClusterName));

        var region = Read(Env.AwsRegion) ?? Read(Env.AwsDefaultRegion);
        var onEks = Read(Env.KubernetesServiceHost) is not null
            && (region ?? Read(Env.AwsRoleArn) ?? Read(Env.AwsContainerCredentialsFullUri)) is not null;
        if (onEks)
        {
            attributes[CloudProvider] = AwsProvider;
            attributes[CloudPlatform] = EksPlatform;
            Add(attributes, CloudRegion, region);
        }

        return new Resource(attributes);
    }

    private static void Add(Dictionary<string, object> attributes, string name, string? value)
    {
        if (value is not null)
        {
            attributes[name] = value;
        }
    }

    private string? Read(string name) =>
        configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
