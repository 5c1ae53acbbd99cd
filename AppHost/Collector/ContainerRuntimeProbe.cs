using System.ComponentModel;
using CliWrap;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Asks the Docker or Podman CLI whether its engine answers, bounded by a short timeout so that a
/// stopped or wedged engine can never hold up the AppHost.
/// </summary>
internal static class ContainerRuntimeProbe
{
    // The same settings Aspire reads to choose its container runtime.
    public const string RuntimeSetting = "ASPIRE_CONTAINER_RUNTIME";
    public const string LegacyRuntimeSetting = "DOTNET_ASPIRE_CONTAINER_RUNTIME";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // Aspire tries Docker first, then Podman.
    private static readonly string[] DefaultRuntimes = ["docker", "podman"];

    /// <summary>Whether the configured runtime (or else Docker, then Podman) has a healthy engine.</summary>
    public static bool IsHealthyRuntimeAvailable(IConfiguration configuration)
    {
        var configured = configuration[RuntimeSetting] ?? configuration[LegacyRuntimeSetting];
        var runtimes = string.IsNullOrWhiteSpace(configured) ? DefaultRuntimes : [configured.Trim()];
        return runtimes.Any(runtime => EngineAnswers(runtime, Timeout));
    }

    /// <summary>Runs <c>{cli} info</c>; true only when it exits 0 within <paramref name="timeout"/>.</summary>
    internal static bool EngineAnswers(string cli, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // Needs the engine, not just the client; fails fast when the engine is down. Its output
            // is drained and discarded, so a full pipe can never block the CLI.
            var result = CliWrap.Cli.Wrap(cli).WithArguments(["info"]).WithValidation(CommandResultValidation.None)
                .ExecuteAsync(deadline.Token).GetAwaiter().GetResult();
            return result.ExitCode == 0;
        }
        catch (Exception error) when (error is Win32Exception or InvalidOperationException)
        {
            return false; // the CLI is not installed, or not an executable
        }
        catch (OperationCanceledException)
        {
            return false; // no answer within the timeout: killed with its children
        }
    }
}
