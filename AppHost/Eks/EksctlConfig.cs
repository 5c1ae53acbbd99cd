using YamlDotNet.Serialization;

namespace AppHost.Eks;

/// <summary>An eksctl <c>ClusterConfig</c> (<c>eksctl.io/v1alpha5</c>); only the fields this bundle uses.</summary>
internal sealed class EksctlClusterConfig
{
    public string ApiVersion { get; set; } = "eksctl.io/v1alpha5";

    public string Kind { get; set; } = "ClusterConfig";

    public EksctlClusterMeta Metadata { get; set; } = new();

    public EksctlIam? Iam { get; set; }

    public IList<EksctlManagedNodeGroup>? ManagedNodeGroups { get; set; }

    public IList<EksctlAddon>? Addons { get; set; }
}

internal sealed class EksctlClusterMeta
{
    public string? Name { get; set; }

    public string? Region { get; set; }

    /// <summary>The Kubernetes version, such as <c>1.35</c>.</summary>
    public string? Version { get; set; }
}

internal sealed class EksctlIam
{
    [YamlMember(Alias = "withOIDC")]
    public bool? WithOidc { get; set; }

    public IList<EksctlServiceAccount>? ServiceAccounts { get; set; }

    public IList<EksctlPodIdentityAssociation>? PodIdentityAssociations { get; set; }
}

/// <summary>An IRSA role for a Kubernetes service account.</summary>
internal sealed class EksctlServiceAccount
{
    public EksctlObjectMeta Metadata { get; set; } = new();

    public string? RoleName { get; set; }

    /// <summary>Create only the IAM role; the service account itself comes from the manifests.</summary>
    public bool? RoleOnly { get; set; }

    /// <summary>The role's inline policy; no managed policy is attached.</summary>
    public IamPolicyDocument? AttachPolicy { get; set; }
}

internal sealed class EksctlObjectMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }
}

/// <summary>An EKS Pod Identity association: the agent hands the role's credentials to the service account's pods.</summary>
internal sealed class EksctlPodIdentityAssociation
{
    public string? Namespace { get; set; }

    public string? ServiceAccountName { get; set; }

    /// <summary>The inline policy of the role eksctl creates for the association.</summary>
    public IamPolicyDocument? PermissionPolicy { get; set; }
}

internal sealed class EksctlManagedNodeGroup
{
    public string? Name { get; set; }

    public string? InstanceType { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }
}

internal sealed class EksctlAddon
{
    public string? Name { get; set; }

    public string? Version { get; set; }

    /// <summary>The add-on's settings as a JSON string, in the schema <c>aws eks describe-addon-configuration</c> prints.</summary>
    public string? ConfigurationValues { get; set; }
}
