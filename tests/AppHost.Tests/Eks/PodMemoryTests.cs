using AppHost.Eks;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace AppHost.Tests.Eks;

/// <summary>SampleApi's pod gets the memory of the build its image holds: the guide's Native AOT image unless <c>Eks:ImageBuild</c> says Jit.</summary>
public class PodMemoryTests
{
    public static TheoryData<string> AllOverlays => [.. Bundle.AllOverlays];

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void The_committed_bundle_sizes_sampleapi_for_the_native_aot_image(string overlay)
    {
        var container = Assert.Single(Kustomize.Objects(overlay).Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Spec.Containers);

        Assert.Equal(ImageBuild.NativeAot, Bundle.Settings.ImageBuild);
        Assert.Equal(Memory(ImageBuild.NativeAot), (container.Resources.Requests["memory"].ToString(), container.Resources.Limits["memory"].ToString()));
    }

    [Fact]
    public void Eks_ImageBuild_Jit_gives_the_jit_builds_larger_memory()
    {
        var settings = EksSettings.Read(new ConfigurationBuilder()
            .AddJsonFile(Bundle.AppSettings)
            .AddInMemoryCollection([new("Eks:ImageBuild", "jit")]) // as the other settings, in any case
            .Build());

        var resources = Assert.Single(KubernetesObjects.ToProjectDeploymentPatch(Bundle.SampleApi, settings).Spec.Template.Spec.Containers).Resources;

        Assert.Equal(Memory(ImageBuild.Jit), (resources.Requests["memory"].ToString(), resources.Limits["memory"].ToString()));
        Assert.True(PodMemory.RequestMiB(ImageBuild.Jit) > PodMemory.RequestMiB(ImageBuild.NativeAot));
        Assert.True(PodMemory.LimitMiB(ImageBuild.Jit) > PodMemory.LimitMiB(ImageBuild.NativeAot));
    }

    private static (string Request, string Limit) Memory(ImageBuild build) => ($"{PodMemory.RequestMiB(build)}Mi", $"{PodMemory.LimitMiB(build)}Mi");
}
