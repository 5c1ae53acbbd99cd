using System.Text.Json;
using AppHost.Eks;
using CliWrap;
using CliWrap.Buffered;

namespace AppHost.Tests.Eks;

/// <summary>
/// The image the deploy guide publishes (<c>dotnet publish SampleApi -t:PublishContainer --os linux
/// --arch x64</c>) is the Native AOT binary on the chiseled runtime-deps base, and the JIT image one
/// flag away (<c>-p:PublishAot=false</c>) the assembly on the chiseled ASP.NET Core base; both run as
/// the user the manifests require. Checked on the SDK's own evaluation of the container properties: no
/// image is built or pulled (no container engine or registry here).
/// </summary>
public class SampleApiContainerTests
{
    private static readonly Lazy<JsonElement> Container = new(() => EvaluateContainer(aot: true));
    private static readonly Lazy<JsonElement> JitContainer = new(() => EvaluateContainer(aot: false));

    [Fact]
    public void Image_is_the_native_aot_binary_on_the_chiseled_runtime_deps_base()
    {
        var properties = Container.Value.GetProperty("Properties");

        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra", properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal("true", properties.GetProperty("_ContainerIsSelfContained").GetString());
        Assert.Equal(["/app/SampleApi"], AppCommand(Container.Value));
    }

    [Fact]
    public void One_flag_away_the_image_is_the_jit_build_on_the_chiseled_aspnet_base()
    {
        var properties = JitContainer.Value.GetProperty("Properties");

        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra", properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal("false", properties.GetProperty("_ContainerIsSelfContained").GetString());
        // The runtime of the base image runs the assembly, not a native executable.
        Assert.Equal(["dotnet", "/app/SampleApi.dll"], AppCommand(JitContainer.Value));
        Assert.Equal(Container.Value.GetProperty("Properties").GetProperty("ContainerUser").GetString(), properties.GetProperty("ContainerUser").GetString());
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

    private static IEnumerable<string?> AppCommand(JsonElement container) =>
        container.GetProperty("Items").GetProperty("ContainerAppCommand").EnumerateArray().Select(item => item.GetProperty("Identity").GetString());

    /// <summary>
    /// What the guide's <c>dotnet publish -t:PublishContainer -r linux-x64</c> (with <c>-p:PublishAot=false</c>
    /// for the JIT image) computes before it builds the image (publishing sets <c>_IsPublishing</c>).
    /// </summary>
    private static JsonElement EvaluateContainer(bool aot)
    {
        string[] arguments =
        [
            "msbuild", Path.Combine("SampleApi", "SampleApi.csproj"), "-nologo", "-t:ComputeContainerConfig",
            "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", "-p:_IsPublishing=true", $"-p:PublishAot={(aot ? "true" : "false")}",
            "-getProperty:ContainerBaseImage", "-getProperty:_ContainerIsSelfContained", "-getProperty:ContainerUser",
            "-getProperty:ContainerRepository", "-getItem:ContainerAppCommand",
        ];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(Repository.Root)
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(deadline.Token).GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"dotnet msbuild failed:\n{result.StandardOutput}{result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
