using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using TestSupport;

namespace EndToEnd.Tests.AspireCli;

/// <summary>
/// The Aspire CLI as the clone's tool manifest pins it (<c>dotnet aspire …</c>), run in the clone. Every
/// process it starts carries <see cref="Marker"/> in its environment, so the test can tell whether any survived.
/// </summary>
public sealed class AspireCliSession(ClonedRepository clone)
{
    private const string MarkerVariable = "ASPIRE_RUN_TEST";

    /// <summary>The AppHost, as <c>--apphost</c> names it to the CLI's commands.</summary>
    public const string AppHostProject = "AppHost/AppHost.csproj";

    /// <summary>The environment entry every process of this session inherits, <c>NAME=value</c>.</summary>
    public string Marker { get; } = $"{MarkerVariable}={Guid.NewGuid():N}";

    private Dictionary<string, string?> Environment => new()
    {
        [MarkerVariable] = Marker[(MarkerVariable.Length + 1)..],
        ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        // The builds the CLI runs leave no build node, compiler or MSBuild server behind.
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
    };

    /// <summary><c>dotnet ARGS</c> in the clone, to its end.</summary>
    public Task<(int ExitCode, string Output)> DotnetAsync(params string[] args) =>
        ChildProcess.RunAsync("dotnet", args, clone.Root, Environment);

    /// <summary><c>dotnet aspire COMMAND … --apphost AppHost/AppHost.csproj</c>, without prompts, spinners or banner.</summary>
    public Task<(int ExitCode, string Output)> AspireAsync(params string[] args) =>
        DotnetAsync(["aspire", .. args, "--apphost", AppHostProject, "--non-interactive", "--nologo"]);

    /// <summary><c>dotnet aspire do STEP -o OUTPUT</c> with <paramref name="appHostArgs"/> for the AppHost.</summary>
    public Task<(int ExitCode, string Output)> AspireDoAsync(string step, string outputPath, IEnumerable<string> appHostArgs) =>
        DotnetAsync(["aspire", "do", step, "-o", outputPath, "--apphost", AppHostProject, "--non-interactive", "--nologo", "--", .. appHostArgs]);

    /// <summary>Starts <c>dotnet aspire run</c> with <paramref name="appHostArgs"/> for the AppHost; it runs until stopped.</summary>
    public AspireRun StartRun(IEnumerable<string> appHostArgs) =>
        new(Process.Start(ChildProcess.StartInfo(
            "dotnet", ["aspire", "run", "--non-interactive", "--nologo", "--", .. appHostArgs], clone.Root, Environment))!);

    /// <summary>The processes that carry this session's marker, as "pid command line".</summary>
    public IReadOnlyList<string> LiveProcesses()
    {
        var live = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc").Where(path => int.TryParse(Path.GetFileName(path), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains(Marker))
                {
                    live.Add($"{Path.GetFileName(folder)} {File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }

        return live;
    }
}

/// <summary>A running <c>aspire run</c>: its output as it comes, and the dashboard link once the CLI prints it.</summary>
public sealed partial class AspireRun : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _dashboard = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AspireRun(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _dashboard.TrySetException(
            new InvalidOperationException($"aspire run exited ({_process.ExitCode}) before printing the dashboard link:\n{Output}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the CLI printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The dashboard's login link from the CLI's "Dashboard:" line.</summary>
    public Task<Uri> DashboardLoginUrl => _dashboard.Task;

    /// <summary>Whether the CLI has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the CLI to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Ends whatever of the run is still a child of the CLI, when the test failed before stopping it.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        // Only the dashboard's line carries a login link.
        if (LoginUrl().Match(line) is { Success: true } url)
        {
            _dashboard.TrySetResult(new Uri(url.Value));
        }
    }

    // The CLI may wrap the link in a terminal hyperlink sequence; the address itself is plain.
    [GeneratedRegex(@"http://localhost:[0-9]+/login\?t=[0-9a-f]+")]
    private static partial Regex LoginUrl();
}
