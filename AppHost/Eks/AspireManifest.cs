using System.Reflection;

namespace AppHost.Eks;

/// <summary>Writes the AppHost's Aspire manifest (what Aspirate reads) as EKS will see it.</summary>
internal static class AspireManifest
{
    private const string AspireCliBackchannelVariable = "ASPIRE_BACKCHANNEL_PATH";

    /// <summary>
    /// Runs this AppHost's manifest publisher in a child process with the EKS region as its only AWS
    /// setting, so the machine's own AWS_REGION, AWS_PROFILE or user secrets never reach the bundle.
    /// </summary>
    /// <remarks>
    /// Not in process: Aspire 13.6 keeps <c>ManifestPublishingContext.WriteModel</c> internal, and its
    /// <c>publish-manifest</c> step writes into the pipeline's output folder (the bundle itself, unstaged).
    /// </remarks>
    /// <param name="appHostDirectory">The AppHost project folder.</param>
    /// <param name="region">The EKS region, the child's only AWS setting.</param>
    /// <param name="manifestPath">Where the manifest goes.</param>
    /// <param name="routeArguments">Settings that shape the model for one route (<see cref="DirectRoute.ManifestArguments"/>); none for the collector routes.</param>
    /// <param name="cancellationToken">Stops the child.</param>
    public static Task WriteAsync(
        string appHostDirectory, string region, string manifestPath, IReadOnlyList<string> routeArguments, CancellationToken cancellationToken)
    {
        // The AppHost is already built (it is running this step): reuse that build.
        var configuration = typeof(AspireManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return ExternalCommand.RunAsync(
            dotnet,
            [
                // No launch profile: Production, so neither user secrets nor a developer's profile settings are read.
                "run", "--project", appHostDirectory, "--no-build", "--no-launch-profile", "--configuration", configuration, "--",
                "--publisher", "manifest", "--output-path", manifestPath,
                // Offline and deterministic: no NuGet version check.
                "--ASPIRE_VERSION_CHECK_DISABLED=true",
                // Empty values hide the machine's settings; AwsConfigExtensions treats blank as absent.
                $"--{AwsConfigExtensions.RegionSetting}={region}", $"--{AwsConfigExtensions.RegionVariable}=",
                $"--{AwsConfigExtensions.ProfileSetting}=", $"--{AwsConfigExtensions.ProfileVariable}=",
                // The collector routes' model unless a route says otherwise (a later argument wins).
                $"--{DirectRoute.Setting}=",
                .. routeArguments,
            ],
            appHostDirectory,
            cancellationToken,
            // Under `aspire do` this AppHost talks to the CLI over this socket; the child would wait on it too.
            new Dictionary<string, string?> { [AspireCliBackchannelVariable] = null });
    }
}
