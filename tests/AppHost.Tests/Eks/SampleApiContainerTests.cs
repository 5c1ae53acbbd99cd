using System.Diagnostics;
using System.Text.Json;
using AppHost.Eks;

namespace AppHost.Tests.Eks;

/// <summary>
/// The image the deploy guide publishes (<c>dotnet publish SampleApi -t:PublishContainer --os linux
/// --arch x64</c>) is the Native AOT binary on a chiseled runtime-deps base, running as the user the
/// manifests require. Checked on the SDK's own evaluation of the container properties: no image is
/// built or pulled (no container engine or registry here).
/// </summary>
public class SampleApiContainerTests
{
    private const string BaseImage = "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra";
    private static readonly Lazy<JsonElement> Container = new(EvaluateContainer);

    [Fact]
    public void Image_is_the_aot_binary_on_the_chiseled_runtime_deps_base()
    {
        var properties = Container.Value.GetProperty("Properties");

        Assert.Equal(BaseImage, properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal("true", properties.GetProperty("_ContainerIsSelfContained").GetString());
        // The native executable itself, not `dotnet SampleApi.dll`.
        var command = Assert.Single(Container.Value.GetProperty("Items").GetProperty("ContainerAppCommand").EnumerateArray());
        Assert.Equal("/app/SampleApi", command.GetProperty("Identity").GetString());
    }

    [Theory]
    [MemberData(nameof(EksSecurityTests.Overlays), MemberType = typeof(EksSecurityTests))]
    public void Image_user_and_repository_are_what_the_manifests_run(string overlay)
    {
        var properties = Container.Value.GetProperty("Properties");
        var (_, pod, container) = Assert.Single(Kustomize.Objects(overlay).Containers(), item => item.Deployment == Bundle.SampleApi);

        Assert.Equal(KubernetesObjects.ProjectUser.ToString(System.Globalization.CultureInfo.InvariantCulture), properties.GetProperty("ContainerUser").GetString());
        Assert.Equal(KubernetesObjects.ProjectUser, pod.SecurityContext.RunAsUser);
        Assert.Equal(KubernetesObjects.ProjectUser, pod.SecurityContext.RunAsGroup);
        var repository = properties.GetProperty("ContainerRepository").GetString();
        Assert.StartsWith($"{Bundle.Settings.ImageRegistry}/{repository}:", container.Image, StringComparison.Ordinal);
    }

    /// <summary>
    /// What <c>dotnet publish -t:PublishContainer -r linux-x64</c> computes before it builds the image
    /// (publishing sets <c>_IsPublishing</c>, which turns <c>PublishAot</c> into a self-contained native build).
    /// </summary>
    private static JsonElement EvaluateContainer()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "msbuild", Path.Combine("SampleApi", "SampleApi.csproj"), "-nologo", "-t:ComputeContainerConfig",
            "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", "-p:_IsPublishing=true",
            "-getProperty:ContainerBaseImage", "-getProperty:_ContainerIsSelfContained", "-getProperty:ContainerUser",
            "-getProperty:ContainerRepository", "-getItem:ContainerAppCommand",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var msbuild = Process.Start(start)!;
        var output = msbuild.StandardOutput.ReadToEndAsync();
        var errors = msbuild.StandardError.ReadToEndAsync();
        Assert.True(msbuild.WaitForExit(TimeSpan.FromMinutes(2)), "dotnet msbuild did not finish within 2 minutes.");
        msbuild.WaitForExit();
        Assert.True(msbuild.ExitCode == 0, $"dotnet msbuild failed:\n{output.Result}{errors.Result}");
        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }
}
