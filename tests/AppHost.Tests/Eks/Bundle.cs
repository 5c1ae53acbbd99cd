using AppHost.Eks;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace AppHost.Tests.Eks;

/// <summary>The committed bundle's overlays, settings and names, for assertions.</summary>
internal static class Bundle
{
    public const string Collector = "collector";
    public const string SampleApi = "sampleapi";

    /// <summary>The collector routes.</summary>
    public static readonly string[] Overlays = [EksBundle.EksFolder, EksBundle.AdotAddonFolder, EksBundle.PodIdentityFolder];

    /// <summary>The direct route, with IRSA and with EKS Pod Identity.</summary>
    public static readonly string[] DirectOverlays = [EksBundle.DirectFolder, EksBundle.DirectPodIdentityFolder];

    /// <summary>Every route.</summary>
    public static readonly string[] AllOverlays = [.. Overlays, .. DirectOverlays];

    /// <summary>The AppHost's appsettings.json, which holds section Eks.</summary>
    public static readonly string AppSettings = Path.Combine(Repository.Root, "AppHost", "appsettings.json");

    /// <summary>The settings the bundle was generated from: <see cref="AppSettings"/>, section Eks.</summary>
    public static EksSettings Settings { get; } = EksSettings.Read(new ConfigurationBuilder().AddJsonFile(AppSettings).Build());

    public static T Single<T>(this IEnumerable<object> objects, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), item => item.Metadata.Name == name);

    /// <summary>Every pod template's containers with their pod spec, from Deployments.</summary>
    public static IEnumerable<(string Deployment, V1PodSpec Pod, V1Container Container)> Containers(this IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().SelectMany(deployment =>
            deployment.Spec.Template.Spec.Containers.Select(container => (deployment.Metadata.Name, deployment.Spec.Template.Spec, container)));
}
