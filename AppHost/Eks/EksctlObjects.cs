namespace AppHost.Eks;

/// <summary>The AWS side as eksctl files: the cluster with the collector's IRSA role, the ADOT add-on, Pod Identity.</summary>
internal static class EksctlObjects
{
    /// <summary>The AWS managed policy the original hands-on attaches: write segments and telemetry, read sampling rules.</summary>
    public const string XRayPolicyName = "AWSXRayDaemonWriteAccess";

    /// <summary>The ADOT EKS add-on and the version this bundle is written for (operator v0.151.0, CRD v1beta1).</summary>
    public const string AdotAddon = "adot";
    public const string AdotAddonVersion = "v0.151.0-eksbuild.2";

    public const string PodIdentityAgentAddon = "eks-pod-identity-agent";

    /// <summary>The cluster: OIDC provider (for IRSA), one managed node group, the collector's X-Ray role with its fixed name.</summary>
    public static EksctlClusterConfig ToClusterConfig(EksCollector collector, EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Iam = new EksctlIam
        {
            WithOidc = true,
            ServiceAccounts =
            [
                new EksctlServiceAccount
                {
                    Metadata = new EksctlObjectMeta { Name = collector.Name, Namespace = settings.Namespace },
                    RoleName = settings.CollectorRoleName,
                    RoleOnly = true,
                    AttachPolicyArns = [XRayPolicyArn(settings)],
                },
            ],
        },
        ManagedNodeGroups =
        [
            new EksctlManagedNodeGroup { Name = "default", InstanceType = "t3.medium", MinSize = 1, MaxSize = 3, DesiredCapacity = 2 },
        ],
    };

    /// <summary>The ADOT add-on, for <c>eksctl create addon -f</c> once cert-manager runs.</summary>
    public static EksctlClusterConfig ToAdotAddonConfig(EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Addons = [new EksctlAddon { Name = AdotAddon, Version = AdotAddonVersion }],
    };

    /// <summary>
    /// EKS Pod Identity instead of IRSA: the agent add-on and an association that gives the collector's
    /// service account an eksctl-made role with the X-Ray policy.
    /// </summary>
    public static EksctlClusterConfig ToPodIdentityConfig(EksCollector collector, EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Iam = new EksctlIam
        {
            PodIdentityAssociations =
            [
                new EksctlPodIdentityAssociation
                {
                    Namespace = settings.Namespace,
                    ServiceAccountName = collector.Name,
                    PermissionPolicyArns = [XRayPolicyArn(settings)],
                },
            ],
        },
        Addons = [new EksctlAddon { Name = PodIdentityAgentAddon }],
    };

    private static EksctlClusterMeta Meta(EksSettings settings) => new() { Name = settings.ClusterName, Region = settings.Region };

    private static string XRayPolicyArn(EksSettings settings) => $"arn:{settings.Partition}:iam::aws:policy/{XRayPolicyName}";
}
