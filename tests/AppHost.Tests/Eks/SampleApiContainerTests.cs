using System.Diagnostics;
using System.Text.Json;
using AppHost.Eks;

namespace AppHost.Tests.Eks;

/// <summary>
/// The image the deploy guide publishes (<c>dotnet publish SampleApi -t:PublishContainer --os linux
/// --arch x64 -p:PublishAot=false</c>) is the JIT build on the chiseled ASP.NET Core base, running as
/// the user the manifests require. Checked on the SDK's own evaluation of the container properties: no image is
/// built or pulled (no container engine or registry here).
/// </summary>
public class SampleApiContainerTests
{
    private const string BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra";
    private static readonly Lazy<JsonElement> Container = new(EvaluateContainer);

    [Fact]
    public void Image_is_the_jit_build_on_the_chiseled_aspnet_base()
    {
        var properties = Container.Value.GetProperty("Properties");

        Assert.Equal(BaseImage, properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal("false", properties.GetProperty("_ContainerIsSelfContained").GetString());
        // The runtime of the base image runs the assembly, not a native executable.
        var command = Container.Value.GetProperty("Items").GetProperty("ContainerAppCommand").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString());
        Assert.Equal(["dotnet", "/app/SampleApi.dll"], command);
    }

    [Theory]
    [MemberData(nameof(EksSecurityTests.AllOverlays), MemberType = typeof(EksSecurityTests))]
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
    /// What the guide's <c>dotnet publish -t:PublishContainer -r linux-x64 -p:PublishAot=false</c> computes
    /// before it builds the image (publishing sets <c>_IsPublishing</c>).
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
            "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", "-p:_IsPublishing=true", "-p:PublishAot=false",
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
