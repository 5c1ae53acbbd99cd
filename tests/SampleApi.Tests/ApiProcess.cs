using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SampleApi.Tests;

/// <summary>
/// SampleApi running as its own process on a free loopback port, in Production with the given
/// environment: the Native AOT binary, or the JIT build's launcher beside the tests
/// (<see cref="JitLauncher"/>). Ready once Kestrel logs the address it listens on; killed on dispose
/// if still running.
/// </summary>
public sealed partial class ApiProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ApiProcess(Process process) => _process = process;

    /// <summary>The JIT build's launcher, which the project reference copies next to the tests with its appsettings.json.</summary>
    public static string JitLauncher => Path.Combine(AppContext.BaseDirectory, "SampleApi");

    /// <summary>Where it listens, once started.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the executable; does not wait for it to listen (see <see cref="WaitUntilListeningAsync"/>).</summary>
    public static ApiProcess Start(string executable, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var api = new ApiProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        api._process.OutputDataReceived += (_, line) => api.Receive(line.Data);
        api._process.ErrorDataReceived += (_, line) => api.Receive(line.Data);
        api._process.Exited += (_, _) => api._listening.TrySetException(
            new InvalidOperationException($"SampleApi exited before listening. Output:\n{api.Output}"));
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        return api;
    }

    /// <summary>
    /// A client for it that sends no trace headers: other tests in this process keep activity
    /// listeners alive, and an injected <c>traceparent</c> would make the request a child of the test's trace.
    /// </summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = BaseAddress };

    public async Task WaitUntilListeningAsync()
    {
        BaseAddress = await _listening.Task.WaitAsync(StartTimeout);
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod, then waits for a graceful exit.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync();
    }

    public async Task WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(ExitTimeout);
        // Exited can fire before the last lines are read; this returns once both streams hit EOF.
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // Kestrel's "Now listening on: http://127.0.0.1:PORT" (Microsoft.Hosting.Lifetime, Information).
    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
