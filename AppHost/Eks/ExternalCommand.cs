using CliWrap;
using CliWrap.Buffered;

namespace AppHost.Eks;

/// <summary>Runs a command line tool to completion and fails with its output when it fails.</summary>
internal static class ExternalCommand
{
    // Enough of a failing tool's output to explain itself, without flooding the error.
    private const int TailLines = 40;

    /// <summary>Runs <paramref name="fileName"/>; throws with the command's last output lines on a non-zero exit.</summary>
    /// <param name="fileName">The executable.</param>
    /// <param name="arguments">Its arguments, each passed as one.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="cancellationToken">Kills it and its children.</param>
    /// <param name="environment">Variables set for it on top of this process's environment; a null value removes one.</param>
    public static async Task RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var command = Cli.Wrap(fileName)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None);
        var result = await command.ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            var output = result.StandardOutput + result.StandardError;
            var tail = string.Join('\n', output.Split('\n').TakeLast(TailLines));
            throw new EksBundleException(
                $"'{Path.GetFileName(fileName)} {command.Arguments}' failed with exit code {result.ExitCode}:\n{tail}");
        }
    }
}
