using k8s;
using k8s.Models;

namespace AppHost.Eks;

/// <summary>
/// Renders everything under <c>manifests/</c> except Aspirate's own output (<see cref="BaseFolder"/>):
/// the EKS overlays and the eksctl files, as file path → content, in a fixed order.
/// </summary>
internal static class EksBundle
{
    public const string BaseFolder = "base";
    public const string CommonFolder = "eks-common";
    public const string EksFolder = "eks";
    public const string AdotAddonFolder = "eks-adot-addon";
    public const string PodIdentityFolder = "eks-pod-identity";
    public const string AwsFolder = "aws";
    public const string KustomizationFile = "kustomization.yaml";

    /// <summary>The top-level folders the generator owns and replaces whole; nothing else in the target is touched.</summary>
    public static readonly string[] OwnedFolders = [BaseFolder, CommonFolder, EksFolder, AdotAddonFolder, PodIdentityFolder, AwsFolder];

    /// <summary>The one command that regenerates the bundle, as the docs give it.</summary>
    public const string Command = "dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests";

    // Aspirate writes a project's https port although nothing in the pod serves it.
    private const string UnusedPortName = "https";

    private static readonly string Header =
        $"# Generated from the AppHost by `{Command}`; change AppHost/appsettings.json (Eks) or the AppHost instead.\n";

    /// <summary>Every rendered file, keyed by its path relative to the bundle root (forward slashes).</summary>
    public static SortedDictionary<string, string> Render(EksAppModel app, EksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);

        var collector = app.Collector;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string folder, string file, object content) => files[$"{folder}/{file}"] = Yaml(content);

        // Shared by both collector routes: namespace, the collector's identity, the projects' pods, images.
        var commonPatches = new List<KustomizePatch>();
        Add(CommonFolder, "namespace.yaml", KubernetesObjects.ToNamespace(settings));
        Add(CommonFolder, $"{collector.Name}-serviceaccount.yaml", KubernetesObjects.ToServiceAccount(collector, settings));
        foreach (var project in app.Projects)
        {
            Add(CommonFolder, $"{project}-deployment.yaml", KubernetesObjects.ToProjectDeploymentPatch(project, settings));
            Add(CommonFolder, $"{project}-deployment-ports.yaml", RemovePort("/spec/template/spec/containers/0/ports/1"));
            Add(CommonFolder, $"{project}-service-ports.yaml", RemovePort("/spec/ports/1"));
            commonPatches.Add(new KustomizePatch { Path = $"{project}-deployment.yaml" });
            commonPatches.Add(Targeted($"{project}-deployment-ports.yaml", V1Deployment.KubeKind, project));
            commonPatches.Add(Targeted($"{project}-service-ports.yaml", V1Service.KubeKind, project));
        }

        var common = Kustomization.Component();
        common.Resources = ["namespace.yaml", $"{collector.Name}-serviceaccount.yaml"];
        common.Patches = commonPatches;
        common.Images =
        [
            new KustomizeImage { Name = collector.Image, NewTag = collector.Tag },
            .. app.Projects.Select(project => new KustomizeImage { Name = $"{settings.ImageRegistry}/{project}", NewTag = settings.ImageTag }),
        ];
        Add(CommonFolder, KustomizationFile, common);

        // Route 1: the collector as Aspirate's Deployment, configured from a generated ConfigMap.
        Add(EksFolder, KubernetesObjects.ConfigFileName, KubernetesObjects.ToCollectorConfig(settings).ToModel());
        Add(EksFolder, $"{collector.Name}-deployment.yaml", KubernetesObjects.ToCollectorDeploymentPatch(collector));
        Add(EksFolder, KustomizationFile, new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [$"../{BaseFolder}"],
            Components = [$"../{CommonFolder}"],
            Patches = [new KustomizePatch { Path = $"{collector.Name}-deployment.yaml" }],
            ConfigMapGenerator = [new ConfigMapGenerator { Name = KubernetesObjects.ConfigMapName(collector), Files = [KubernetesObjects.ConfigFileName] }],
        });

        // Route 2: the ADOT add-on's operator runs the collector from a CR; Aspirate's collector goes.
        Add(AdotAddonFolder, $"{collector.Name}.yaml", KubernetesObjects.ToOpenTelemetryCollector(collector, settings));
        // One file per deletion: kustomize cannot read several strategic merge patches from one file.
        var addonPatches = new List<KustomizePatch>();
        foreach (var (kind, delete) in new[]
        {
            ("deployment", Delete($"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}", V1Deployment.KubeKind, collector.Name)),
            ("service", Delete(V1Service.KubeApiVersion, V1Service.KubeKind, collector.Name)),
            ("env", Delete(V1ConfigMap.KubeApiVersion, V1ConfigMap.KubeKind, KubernetesObjects.EnvironmentConfigMapName(collector.Name))),
        })
        {
            Add(AdotAddonFolder, $"{collector.Name}-{kind}-delete.yaml", delete);
            addonPatches.Add(new KustomizePatch { Path = $"{collector.Name}-{kind}-delete.yaml" });
        }

        foreach (var project in app.Projects)
        {
            Add(AdotAddonFolder, $"{project}-otlp-endpoint.yaml", KubernetesObjects.ToOperatorEndpointPatch(project, collector));
            addonPatches.Add(new KustomizePatch { Path = $"{project}-otlp-endpoint.yaml" });
        }

        Add(AdotAddonFolder, KustomizationFile, new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [$"../{BaseFolder}", $"{collector.Name}.yaml"],
            Components = [$"../{CommonFolder}"],
            Patches = addonPatches,
        });

        // Route 1 with EKS Pod Identity: the same, minus the IRSA annotation.
        Add(PodIdentityFolder, $"{collector.Name}-serviceaccount.yaml", new[]
        {
            new JsonPatchOperation { Op = "remove", Path = $"/metadata/annotations/{KubernetesObjects.RoleArnAnnotation.Replace("/", "~1", StringComparison.Ordinal)}" },
        });
        Add(PodIdentityFolder, KustomizationFile, new Kustomization
        {
            Resources = [$"../{EksFolder}"],
            Patches = [Targeted($"{collector.Name}-serviceaccount.yaml", V1ServiceAccount.KubeKind, collector.Name)],
        });

        Add(AwsFolder, "cluster.yaml", EksctlObjects.ToClusterConfig(collector, settings));
        Add(AwsFolder, "adot-addon.yaml", EksctlObjects.ToAdotAddonConfig(settings));
        Add(AwsFolder, "pod-identity.yaml", EksctlObjects.ToPodIdentityConfig(collector, settings));

        foreach (var path in files.Keys.ToList())
        {
            files[path] = Header + files[path];
        }

        return files;
    }

    /// <summary>Removes the unused https port, testing first that it is the one at <paramref name="path"/>.</summary>
    private static JsonPatchOperation[] RemovePort(string path) =>
    [
        new() { Op = "test", Path = $"{path}/name", Value = UnusedPortName },
        new() { Op = "remove", Path = path },
    ];

    private static KustomizePatch Targeted(string path, string kind, string name) =>
        new() { Path = path, Target = new KustomizeTarget { Kind = kind, Name = name } };

    private static DeletePatch Delete(string apiVersion, string kind, string name) =>
        new() { ApiVersion = apiVersion, Kind = kind, Metadata = new V1ObjectMeta { Name = name } };

    private static string Yaml(object content) =>
        KubernetesYaml.Serialize(content).TrimEnd('\n') + "\n";
}
