namespace AppHost.Eks;

/// <summary>A kustomize <c>kustomization.yaml</c> (or <c>Component</c>); only the fields this bundle uses.</summary>
internal sealed class Kustomization
{
    public const string OverlayKind = "Kustomization";
    public const string ComponentKind = "Component";

    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; set; } = OverlayKind;

    public string? Namespace { get; set; }

    public IList<string>? Resources { get; set; }

    public IList<string>? Components { get; set; }

    public IList<KustomizePatch>? Patches { get; set; }

    public IList<ConfigMapGenerator>? ConfigMapGenerator { get; set; }

    public IList<KustomizeImage>? Images { get; set; }

    /// <summary>A component: <c>kustomize.config.k8s.io/v1alpha1</c>, kind <c>Component</c>.</summary>
    public static Kustomization Component() => new() { ApiVersion = "kustomize.config.k8s.io/v1alpha1", Kind = ComponentKind };
}

/// <summary>A strategic merge patch file: it names the object it changes and only the fields it adds.</summary>
internal sealed class KustomizePatch
{
    public string? Path { get; set; }
}

/// <summary>A ConfigMap made from files; kustomize appends a hash of the content to its name.</summary>
internal sealed class ConfigMapGenerator
{
    public string? Name { get; set; }

    public IList<string>? Files { get; set; }
}

/// <summary>Sets an image's name or tag wherever it is used.</summary>
internal sealed class KustomizeImage
{
    public string? Name { get; set; }

    public string? NewName { get; set; }

    public string? NewTag { get; set; }
}
