using YamlDotNet.Serialization;

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

/// <summary>A patch file, strategic merge (no target) or JSON 6902 (with a target).</summary>
internal sealed class KustomizePatch
{
    public string? Path { get; set; }

    public KustomizeTarget? Target { get; set; }
}

/// <summary>Which objects a JSON 6902 patch applies to.</summary>
internal sealed class KustomizeTarget
{
    public string? Kind { get; set; }

    public string? Name { get; set; }
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

/// <summary>One JSON 6902 operation (<c>replace</c>, <c>remove</c>, …).</summary>
internal sealed class JsonPatchOperation
{
    public string? Op { get; set; }

    public string? Path { get; set; }

    public object? Value { get; set; }
}

/// <summary>A strategic merge patch that deletes an object from the output.</summary>
internal sealed class DeletePatch
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public k8s.Models.V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "$patch")]
    public string Patch { get; set; } = "delete";
}
