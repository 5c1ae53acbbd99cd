using k8s;

namespace AppHost.Eks;

/// <summary>
/// Renders everything under <c>manifests/</c> except Aspirate's own output (<see cref="BaseFolder"/>):
/// the EKS overlays and the eksctl files, as file path → content, one function per folder. The
/// overlays only add to Aspirate's objects: each route references the base folders it deploys.
/// </summary>
internal static class EksBundle
{
    public const string BaseFolder = "base";
    public const string CommonFolder = "eks-common";
    public const string CollectorDeploymentFolder = "eks-collector";
    public const string EksFolder = "eks";
    public const string AdotAddonFolder = "eks-adot-addon";
    public const string PodIdentityFolder = "eks-pod-identity";

    /// <summary>Aspirate's output for the direct route's model (no collector; the projects send to AWS), untouched.</summary>
    public const string DirectBaseFolder = "base-direct";
    public const string DirectFolder = "eks-direct";
    public const string DirectPodIdentityFolder = "eks-direct-pod-identity";
    public const string DirectIrsaFile = "direct-irsa.yaml";
    public const string DirectPodIdentityFile = "direct-pod-identity.yaml";
    public const string AwsFolder = "aws";
    public const string KustomizationFile = "kustomization.yaml";
    public const string NetworkPolicyFile = "collector-network-policy.yaml";
    public const string ClusterFile = "cluster.yaml";

    /// <summary>Where the documented command writes the bundle, as the scripts' advice names it (from the repository root).</summary>
    public const string ManifestsFolder = "manifests";
    public const string PodIdentityFile = "pod-identity.yaml";

    /// <summary>The top-level folders the generator owns and replaces whole; nothing else in the target is touched.</summary>
    public static readonly string[] OwnedFolders =
        [BaseFolder, DirectBaseFolder, CommonFolder, CollectorDeploymentFolder, EksFolder, AdotAddonFolder, PodIdentityFolder, DirectFolder, DirectPodIdentityFolder, AwsFolder];

    /// <summary>The one command that regenerates the bundle, as the docs give it.</summary>
    public const string Command = "dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests";

    private static readonly string Header =
        $"# Generated from the AppHost by `{Command}`; change AppHost/appsettings.json (Eks) or the AppHost instead.\n";

    /// <summary>Every rendered file, keyed by its path relative to the bundle root (forward slashes).</summary>
    public static SortedDictionary<string, string> Render(EksAppModel app, EksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, folderFiles) in new[]
        {
            (CommonFolder, Common(app, settings)),
            (CollectorDeploymentFolder, CollectorDeployment(app, settings)),
            (EksFolder, Irsa(app, settings)),
            (AdotAddonFolder, AdotAddon(app, settings)),
            (PodIdentityFolder, PodIdentity(app, settings)),
            (DirectFolder, Direct(app, settings, podIdentity: false)),
            (DirectPodIdentityFolder, Direct(app, settings, podIdentity: true)),
            (AwsFolder, Aws(app, settings)),
        })
        {
            foreach (var (file, content) in folderFiles)
            {
                // Scripts are text that carries the header after its own first line.
                files[$"{folder}/{file}"] = content is string text ? text : Header + Yaml(content);
            }
        }

        return files;
    }

    /// <summary>
    /// The component every route shares: namespace, the projects' pods, images. The collector's service account is
    /// not here: the direct route has no collector.
    /// </summary>
    private static Dictionary<string, object> Common(EksAppModel app, EksSettings settings)
    {
        var collector = app.Collector;
        var files = new Dictionary<string, object>
        {
            ["namespace.yaml"] = KubernetesObjects.ToNamespace(settings),
        };
        foreach (var project in app.Projects)
        {
            files[$"{project}-deployment.yaml"] = KubernetesObjects.ToProjectDeploymentPatch(project, settings);
            files[Rollout.BudgetFile(project)] = Rollout.ToPodDisruptionBudget(project, KubernetesObjects.AspiratePodLabels(project));
        }

        var component = Kustomization.Component();
        component.Resources = ["namespace.yaml", .. app.Projects.Select(Rollout.BudgetFile)];
        component.Patches = [.. app.Projects.Select(project => new KustomizePatch { Path = $"{project}-deployment.yaml" })];
        component.Images =
        [
            new KustomizeImage { Name = collector.Image, NewTag = collector.Tag },
            .. app.Projects.Select(project => new KustomizeImage { Name = $"{settings.ImageRegistry}/{project}", NewTag = settings.ImageTag }),
        ];
        files[KustomizationFile] = component;
        return files;
    }

    /// <summary>
    /// The component of route 1, whatever its identity: Aspirate's collector Deployment with the generated
    /// configuration mounted where its <c>--config</c> points, and the collector's NetworkPolicy.
    /// </summary>
    private static Dictionary<string, object> CollectorDeployment(EksAppModel app, EksSettings settings)
    {
        var collector = app.Collector;
        var component = Kustomization.Component();
        component.Resources = [ServiceAccountFile(collector), NetworkPolicyFile, Rollout.BudgetFile(collector.Name)];
        component.Patches = [new KustomizePatch { Path = $"{collector.Name}-deployment.yaml" }];
        component.ConfigMapGenerator = [new ConfigMapGenerator { Name = KubernetesObjects.ConfigMapName(collector), Files = [KubernetesObjects.ConfigFileName] }];
        return new Dictionary<string, object>
        {
            [ServiceAccountFile(collector)] = KubernetesObjects.ToServiceAccount(collector),
            [KubernetesObjects.ConfigFileName] = KubernetesObjects.ToCollectorConfig(settings).ToModel(),
            [$"{collector.Name}-deployment.yaml"] = KubernetesObjects.ToCollectorDeploymentPatch(collector),
            [NetworkPolicyFile] = KubernetesObjects.ToCollectorNetworkPolicy(collector, KubernetesObjects.AspiratePodLabels(collector.Name), app.Projects),
            [Rollout.BudgetFile(collector.Name)] = Rollout.ToPodDisruptionBudget(collector.Name, KubernetesObjects.AspiratePodLabels(collector.Name)),
            [KustomizationFile] = component,
        };
    }

    /// <summary>Route 1 with IRSA: Aspirate's output, both components, the role annotation on the service account.</summary>
    private static Dictionary<string, object> Irsa(EksAppModel app, EksSettings settings) => new()
    {
        [IrsaPatchFile(app.Collector)] = KubernetesObjects.ToIrsaServiceAccountPatch(app.Collector, settings),
        [KustomizationFile] = new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [$"../{BaseFolder}"],
            Components = [$"../{CommonFolder}", $"../{CollectorDeploymentFolder}"],
            Patches = [new KustomizePatch { Path = IrsaPatchFile(app.Collector) }],
        },
    };

    /// <summary>Route 2: the ADOT add-on's operator runs the collector from a CR; only the projects come from Aspirate.</summary>
    private static Dictionary<string, object> AdotAddon(EksAppModel app, EksSettings settings)
    {
        var collector = app.Collector;
        var operatorPods = OpenTelemetryCollectorResource.PodSelectorLabels(settings.Namespace, collector.Name);
        var files = new Dictionary<string, object>
        {
            [ServiceAccountFile(collector)] = KubernetesObjects.ToServiceAccount(collector),
            [$"{collector.Name}.yaml"] = KubernetesObjects.ToOpenTelemetryCollector(collector, settings),
            [NetworkPolicyFile] = KubernetesObjects.ToCollectorNetworkPolicy(collector, operatorPods, app.Projects),
        };
        foreach (var project in app.Projects)
        {
            files[$"{project}-otlp-endpoint.yaml"] = KubernetesObjects.ToOperatorEndpointPatch(project, collector);
        }

        files[IrsaPatchFile(collector)] = KubernetesObjects.ToIrsaServiceAccountPatch(collector, settings);
        files[KustomizationFile] = new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [.. app.Projects.Select(project => $"../{BaseFolder}/{project}"), ServiceAccountFile(collector), $"{collector.Name}.yaml", NetworkPolicyFile],
            Components = [$"../{CommonFolder}"],
            Patches =
            [
                .. app.Projects.Select(project => new KustomizePatch { Path = $"{project}-otlp-endpoint.yaml" }),
                new KustomizePatch { Path = IrsaPatchFile(collector) },
            ],
        };
        return files;
    }

    /// <summary>
    /// Route 1 with EKS Pod Identity: no role annotation (the association names the role), and a pod
    /// template marked as such, so switching from IRSA creates the new pod the Pod Identity webhook sets up.
    /// </summary>
    private static Dictionary<string, object> PodIdentity(EksAppModel app, EksSettings settings) => new()
    {
        [$"{app.Collector.Name}-deployment.yaml"] = KubernetesObjects.ToPodIdentityRolloutPatch(app.Collector),
        [KustomizationFile] = new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [$"../{BaseFolder}"],
            Components = [$"../{CommonFolder}", $"../{CollectorDeploymentFolder}"],
            Patches = [new KustomizePatch { Path = $"{app.Collector.Name}-deployment.yaml" }],
        },
    };

    /// <summary>
    /// The direct route: no collector; the projects from the direct route's base (their OTLP settings already point at
    /// AWS there), each with its own service account for its role, through IRSA or EKS Pod Identity.
    /// </summary>
    private static Dictionary<string, object> Direct(EksAppModel app, EksSettings settings, bool podIdentity)
    {
        var files = new Dictionary<string, object>();
        foreach (var project in app.Projects)
        {
            files[$"{project}-serviceaccount.yaml"] = KubernetesObjects.ToProjectServiceAccount(project, podIdentity ? null : settings.DirectRoleArn);
            files[$"{project}-identity.yaml"] = KubernetesObjects.ToDirectIdentityPatch(project, podIdentity);
        }

        files[KustomizationFile] = new Kustomization
        {
            Namespace = settings.Namespace,
            Resources = [.. app.Projects.Select(project => $"../{DirectBaseFolder}/{project}"), .. app.Projects.Select(project => $"{project}-serviceaccount.yaml")],
            Components = [$"../{CommonFolder}"],
            Patches = [.. app.Projects.Select(project => new KustomizePatch { Path = $"{project}-identity.yaml" })],
        };
        return files;
    }

    /// <summary>
    /// The AWS side: the eksctl files (the cluster, the ADOT add-on, Pod Identity) and the account scripts
    /// (what must exist before the collector writes, and the check that names what is missing).
    /// </summary>
    private static Dictionary<string, object> Aws(EksAppModel app, EksSettings settings)
    {
        string Path(string file) => $"{ManifestsFolder}/{AwsFolder}/{file}";
        var collector = new CheckedRole(
            settings.CollectorRoleName,
            settings.CollectorRoleArn,
            app.Collector.Name,
            Path(ClusterFile),
            Path(PodIdentityFile),
            [.. AwsDocumentedActions.For(KubernetesObjects.ToCollectorConfig(settings), settings.Scope)],
            "the collector's log");
        // On the direct route check.sh follows the first project (the app has one, SampleApi, which reports refused
        // exports on stderr): with IRSA every project has the same role, but each has its own association and log.
        var project = app.Projects[0];
        var direct = new CheckedRole(
            settings.DirectRoleName,
            settings.DirectRoleArn,
            project,
            Path(DirectIrsaFile),
            Path(DirectPodIdentityFile),
            [.. DirectRoute.DocumentedActions(settings.Scope)],
            $"{project}'s log: kubectl -n {settings.Namespace} logs deployment/{project}");
        return new()
        {
            [ClusterFile] = EksctlObjects.ToClusterConfig(app.Collector, settings),
            ["adot-addon.yaml"] = EksctlObjects.ToAdotAddonConfig(settings),
            [PodIdentityFile] = EksctlObjects.ToPodIdentityConfig(app.Collector, settings),
            [DirectIrsaFile] = EksctlObjects.ToDirectIrsaConfig(app.Projects, settings),
            [DirectPodIdentityFile] = EksctlObjects.ToDirectPodIdentityConfig(app.Projects, settings),
            [AwsAccountScripts.SetupFileName] = AwsAccountScripts.Setup(settings.Scope, Header),
            [AwsAccountScripts.CheckFileName] = AwsAccountScripts.Check(
                settings.Scope, settings.ClusterName, settings.Namespace, collector, direct, Path(AwsAccountScripts.SetupFileName), Header),
        };
    }

    private static string ServiceAccountFile(EksCollector collector) => $"{collector.Name}-serviceaccount.yaml";

    private static string IrsaPatchFile(EksCollector collector) => $"{collector.Name}-serviceaccount-irsa.yaml";

    private static string Yaml(object content) =>
        KubernetesYaml.Serialize(content).TrimEnd('\n') + "\n";
}
