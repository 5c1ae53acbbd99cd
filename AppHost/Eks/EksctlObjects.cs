namespace AppHost.Eks;

/// <summary>The AWS side as eksctl files: the cluster with the collector's IRSA role, the ADOT add-on, Pod Identity.</summary>
internal static class EksctlObjects
{
    /// <summary>
    /// The ADOT EKS add-on and the build this bundle is written for (operator v0.156.0, CRD v1beta1), as
    /// named in a pull request to aws-otel/aws-otel.github.io (845), not on an EKS page: the guide has the
    /// user check it with <c>aws eks describe-addon-versions</c> before creating the add-on.
    /// </summary>
    public const string AdotAddon = "adot";
    public const string AdotAddonVersion = "v0.156.0-eksbuild.1";

    /// <summary>
    /// The cluster's Kubernetes version, pinned rather than left to eksctl's default: the newest that
    /// eksctl 0.230.0 knows (its default, 1.34, leaves EKS standard support on 2026-12-02).
    /// </summary>
    public const string KubernetesVersion = "1.35";

    /// <summary>The VPC CNI add-on, configured to enforce Kubernetes NetworkPolicy (off by default).</summary>
    public const string VpcCniAddon = "vpc-cni";
    public const string VpcCniNetworkPolicyConfiguration = """{"enableNetworkPolicy":"true"}""";

    public const string PodIdentityAgentAddon = "eks-pod-identity-agent";

    /// <summary>
    /// The cluster: a pinned Kubernetes version, OIDC provider (for IRSA), NetworkPolicy enforcement, one
    /// managed node group, the collector's role with its fixed name and exactly the collector's policy.
    /// </summary>
    public static EksctlClusterConfig ToClusterConfig(EksCollector collector, EksSettings settings) => new()
    {
        Metadata = new EksctlClusterMeta { Name = settings.ClusterName, Region = settings.Region, Version = KubernetesVersion },
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
                    AttachPolicy = CollectorPolicy(settings),
                },
            ],
        },
        ManagedNodeGroups =
        [
            new EksctlManagedNodeGroup { Name = "default", InstanceType = "t3.medium", MinSize = 1, MaxSize = 3, DesiredCapacity = 2 },
        ],
        Addons = [new EksctlAddon { Name = VpcCniAddon, ConfigurationValues = VpcCniNetworkPolicyConfiguration }],
    };

    /// <summary>The ADOT add-on, for <c>eksctl create addon -f</c> once cert-manager runs.</summary>
    public static EksctlClusterConfig ToAdotAddonConfig(EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Addons = [new EksctlAddon { Name = AdotAddon, Version = AdotAddonVersion }],
    };

    /// <summary>
    /// EKS Pod Identity instead of IRSA: the agent add-on and an association that gives the collector's
    /// service account an eksctl-made role with exactly the collector's policy.
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
                    PermissionPolicy = CollectorPolicy(settings),
                },
            ],
        },
        Addons = [new EksctlAddon { Name = PodIdentityAgentAddon }],
    };

    /// <summary>
    /// The direct route with IRSA: each project's service account gets the role <see cref="EksSettings.DirectRoleName"/>
    /// with exactly <see cref="DirectRoute.Policy"/>, for <c>eksctl create iamserviceaccount -f</c> on the cluster
    /// <see cref="ToClusterConfig"/> made (OIDC on). Like the collector's, eksctl makes only the role.
    /// </summary>
    public static EksctlClusterConfig ToDirectIrsaConfig(IEnumerable<string> projects, EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Iam = new EksctlIam
        {
            ServiceAccounts =
            [
                .. projects.Select(project => new EksctlServiceAccount
                {
                    Metadata = new EksctlObjectMeta { Name = project, Namespace = settings.Namespace },
                    RoleName = settings.DirectRoleName,
                    RoleOnly = true,
                    AttachPolicy = DirectRoute.Policy(settings),
                }),
            ],
        },
    };

    /// <summary>The direct route with EKS Pod Identity: the agent add-on and an association per project with an eksctl-made role holding <see cref="DirectRoute.Policy"/>.</summary>
    public static EksctlClusterConfig ToDirectPodIdentityConfig(IEnumerable<string> projects, EksSettings settings) => new()
    {
        Metadata = Meta(settings),
        Iam = new EksctlIam
        {
            PodIdentityAssociations =
            [
                .. projects.Select(project => new EksctlPodIdentityAssociation
                {
                    Namespace = settings.Namespace,
                    ServiceAccountName = project,
                    PermissionPolicy = DirectRoute.Policy(settings),
                }),
            ],
        },
        Addons = [new EksctlAddon { Name = PodIdentityAgentAddon }],
    };

    private static EksctlClusterMeta Meta(EksSettings settings) => new() { Name = settings.ClusterName, Region = settings.Region };

    /// <summary>The union of what the EKS collector's exporters need (<see cref="CollectorIam"/>), inline: no managed policy.</summary>
    public static IamPolicyDocument CollectorPolicy(EksSettings settings) =>
        CollectorIam.PolicyFor(KubernetesObjects.ToCollectorConfig(settings), settings.Scope);
}
