using System.Diagnostics;

namespace TestSupport;

/// <summary>Runs a command to its end and returns its exit code with stdout and stderr together.</summary>
public static class ChildProcess
{
    /// <summary>The exit code <see cref="RunAsync"/> reports for a command it killed at its timeout.</summary>
    public const int TimedOut = -1;

    /// <summary>Longer than any command of the end-to-end tests takes, even building a fresh clone on a busy machine; a hung one then fails the test.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <param name="fileName">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="timeout">Longer than the command can take (10 minutes unless given); a hung one is killed with its children.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(StartInfo(fileName, args, workingDirectory, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (TimedOut, $"{fileName} {string.Join(' ', args)} did not end within {limit}:\n{await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>Redirected output, no window, the given folder and environment.</summary>
    public static ProcessStartInfo StartInfo(
        string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo(fileName, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }
}
