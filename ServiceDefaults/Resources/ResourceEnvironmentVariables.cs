namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Environment variables (read through configuration) that become resource attributes. The
/// Kubernetes manifests set the <c>K8S_*</c> ones from the downward API; none needs Kubernetes
/// API access. An absent or empty variable means an absent attribute.
/// </summary>
public static class ResourceEnvironmentVariables
{
    /// <summary><c>k8s.namespace.name</c>; downward API <c>metadata.namespace</c>.</summary>
    public const string NamespaceName = "K8S_NAMESPACE_NAME";

    /// <summary><c>k8s.pod.name</c> and <c>service.instance.id</c>; downward API <c>metadata.name</c>.</summary>
    public const string PodName = "K8S_POD_NAME";

    /// <summary><c>k8s.node.name</c>; downward API <c>spec.nodeName</c>.</summary>
    public const string NodeName = "K8S_NODE_NAME";

    /// <summary><c>k8s.cluster.name</c>; a literal in the manifest (the downward API has no cluster name).</summary>
    public const string ClusterName = "K8S_CLUSTER_NAME";

    /// <summary>Set by Kubernetes in every container: the process runs in a pod.</summary>
    public const string KubernetesServiceHost = "KUBERNETES_SERVICE_HOST";

    /// <summary>AWS region; set by the EKS IRSA and Pod Identity webhooks, or by the manifest. Becomes <c>cloud.region</c>.</summary>
    public const string AwsRegion = "AWS_REGION";

    /// <summary>Older spelling of the AWS region.</summary>
    public const string AwsDefaultRegion = "AWS_DEFAULT_REGION";

    /// <summary>Injected by the EKS IAM Roles for Service Accounts (IRSA) webhook.</summary>
    public const string AwsRoleArn = "AWS_ROLE_ARN";

    /// <summary>Injected by the EKS Pod Identity webhook.</summary>
    public const string AwsContainerCredentialsFullUri = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

    /// <summary>The standard service name override; wins over the application name.</summary>
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
}
