using System.Diagnostics;
using System.Text;
using CliWrap;

namespace TestSupport;

/// <summary>Runs a command to its end (with CliWrap) and returns its exit code with stdout and stderr together.</summary>
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
        var output = new StringBuilder();
        var command = Cli.Wrap(fileName)
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            return ((await command.ExecuteAsync(deadline.Token)).ExitCode, output.ToString());
        }
        catch (OperationCanceledException)
        {
            return (TimedOut, $"{fileName} {command.Arguments} did not end within {limit}:\n{output}");
        }
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
