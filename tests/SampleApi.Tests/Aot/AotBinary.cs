using System.Runtime.InteropServices;

using TestSupport;

namespace SampleApi.Tests.Aot;

/// <summary>
/// SampleApi published as Native AOT, once per test run: the same command as the deploy guide and
/// <c>.ci/run</c> (which publishes before the tests, so this one finds everything up to date and
/// takes seconds). Always published, never reused blindly, so the tests see the current code.
/// </summary>
public static class AotBinary
{
    /// <summary>Generous for a cold publish on a busy 2-core machine (about a minute when idle).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The native executable, published on first use.</summary>
    public static Task<string> PathAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var root = RepositoryRoot.Path;
        var runtime = RuntimeInformation.RuntimeIdentifier;
        // Nothing of the build may outlive it: no reused MSBuild nodes, no build or compiler server.
        var noBuildServers = new Dictionary<string, string?>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        };
        var (exitCode, log) = await ChildProcess.RunAsync(
            "dotnet", ["publish", Path.Combine("SampleApi", "SampleApi.csproj"), "-c", "Release", "-r", runtime, "--nologo"], root, noBuildServers, PublishTimeout);
        if (exitCode == ChildProcess.TimedOut)
        {
            throw new TimeoutException($"dotnet publish SampleApi -r {runtime} took longer than {PublishTimeout}.");
        }

        if (exitCode != 0)
        {
            var tail = string.Join('\n', log.Split('\n').TakeLast(30));
            throw new InvalidOperationException(
                $"dotnet publish SampleApi -c Release -r {runtime} failed (exit {exitCode}). "
                + $"Native AOT links with clang: on Debian/Ubuntu, apt-get install clang.\n{tail}");
        }

        var binary = Path.Combine(root, "SampleApi", "bin", "Release", "net10.0", runtime, "publish", "SampleApi");
        return File.Exists(binary) ? binary : throw new FileNotFoundException($"dotnet publish succeeded but wrote no {binary}.");
    }
}
