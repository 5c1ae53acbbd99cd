using System.Text.RegularExpressions;
using AppHost.Eks;
using k8s.Models;

namespace AppHost.Tests.Eks;

/// <summary>Restricted pods everywhere, AWS identity only where it belongs, no credential anywhere.</summary>
public partial class EksSecurityTests
{
    public static TheoryData<string> Overlays => [.. Bundle.Overlays];

    public static TheoryData<string> AllOverlays => [.. Bundle.AllOverlays];

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void Namespace_enforces_the_restricted_pod_security_standard(string overlay)
    {
        var labels = Assert.Single(Kustomize.Objects(overlay).OfType<V1Namespace>()).Metadata.Labels;

        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void Every_container_is_restricted_bounded_and_writes_only_to_an_empty_dir(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        var pods = objects.Containers().Select(item => (item.Deployment, item.Pod.SecurityContext, item.Container.SecurityContext, item.Container.Resources, item.Pod.Volumes, item.Container.VolumeMounts)).ToList();
        foreach (var collector in objects.OfType<OpenTelemetryCollectorResource>())
        {
            var spec = collector.Spec;
            pods.Add((collector.Metadata.Name, spec.PodSecurityContext!, spec.SecurityContext!, spec.Resources!, spec.Volumes!, spec.VolumeMounts!));
        }

        // The collector and SampleApi; on the direct route SampleApi alone.
        Assert.Equal(Bundle.DirectOverlays.Contains(overlay) ? 1 : 2, pods.Count);
        foreach (var (name, pod, container, resources, volumes, mounts) in pods)
        {
            Assert.True(pod.RunAsNonRoot == true && pod.RunAsUser > 0 && pod.SeccompProfile.Type == "RuntimeDefault", $"{name}: pod security context");
            Assert.True(container.RunAsNonRoot == true, $"{name}: runAsNonRoot");
            Assert.True(container.AllowPrivilegeEscalation == false, $"{name}: allowPrivilegeEscalation");
            Assert.Equal(["ALL"], container.Capabilities.Drop);
            Assert.Null(container.Capabilities.Add);
            Assert.True(container.ReadOnlyRootFilesystem == true, $"{name}: readOnlyRootFilesystem");
            Assert.Equal("RuntimeDefault", container.SeccompProfile.Type);
            Assert.Equal(["cpu", "memory"], resources.Requests.Keys.Order());
            Assert.Equal(["cpu", "memory"], resources.Limits.Keys.Order());
            var tmp = Assert.Single(mounts, mount => mount.MountPath == "/tmp");
            Assert.NotNull(Assert.Single(volumes, volume => volume.Name == tmp.Name).EmptyDir);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Collector_runs_as_the_images_own_user_aoc_uid_and_gid_4317(string overlay)
    {
        var objects = Kustomize.Objects(overlay);
        var pod = overlay == EksBundle.AdotAddonFolder
            ? objects.Single<OpenTelemetryCollectorResource>(Bundle.Collector).Spec.PodSecurityContext!
            : objects.Single<V1Deployment>(Bundle.Collector).Spec.Template.Spec.SecurityContext;

        // cmd/awscollector/Dockerfile at v0.49.0: USER_UID=4317, the group made with the same id.
        Assert.Equal((4317L, 4317L), (pod.RunAsUser, pod.RunAsGroup));
    }

    [Theory]
    [InlineData(EksBundle.EksFolder)]
    [InlineData(EksBundle.AdotAddonFolder)]
    public void Irsa_role_annotation_is_only_on_the_collector_service_account(string overlay)
    {
        var objects = Kustomize.Objects(overlay);

        var annotated = objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>()
            .Where(item => item.Metadata.Annotations?.ContainsKey(KubernetesObjects.RoleArnAnnotation) == true)
            .ToList();
        var account = Assert.IsType<V1ServiceAccount>(Assert.Single(annotated));
        Assert.Equal(Bundle.Collector, account.Metadata.Name);
        Assert.Equal(
            $"arn:aws:iam::{Bundle.Settings.AccountId}:role/{Bundle.Settings.CollectorRoleName}",
            account.Metadata.Annotations[KubernetesObjects.RoleArnAnnotation]);
        // The API's pod has no AWS identity and no Kubernetes API token.
        var api = objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Spec;
        Assert.Null(api.ServiceAccountName);
        Assert.False(api.AutomountServiceAccountToken);
    }

    [Fact]
    public void Pod_identity_overlay_has_no_irsa_annotation_and_keeps_the_collector_service_account()
    {
        var objects = Kustomize.Objects(EksBundle.PodIdentityFolder);

        Assert.DoesNotContain(KubernetesObjects.RoleArnAnnotation, Kustomize.Render(EksBundle.PodIdentityFolder), StringComparison.Ordinal);
        Assert.Equal(Bundle.Collector, objects.Single<V1Deployment>(Bundle.Collector).Spec.Template.Spec.ServiceAccountName);
        Assert.NotNull(objects.Single<V1ServiceAccount>(Bundle.Collector));
    }

    [Fact]
    public void No_secret_or_credential_anywhere_in_the_bundle()
    {
        Assert.All(Bundle.AllOverlays, overlay => Assert.DoesNotContain(Kustomize.Objects(overlay), item => item is V1Secret));
        var files = Directory.EnumerateFiles(Repository.Manifests, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var match = CredentialPattern().Match(File.ReadAllText(file));
            Assert.False(match.Success, $"{Path.GetRelativePath(Repository.Manifests, file)} holds '{match.Value}'");
        }
    }

    // Access key ids, the SDK's credential variables and settings, Kubernetes secret references.
    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws_secret_access_key|secretKeyRef|secretRef|kind: Secret\b|password", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialPattern();
}
