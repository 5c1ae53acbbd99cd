using System.Diagnostics;
using System.Text;

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
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            var tail = string.Join('\n', text.Split('\n').TakeLast(TailLines));
            throw new EksBundleException(
                $"'{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)}' failed with exit code {process.ExitCode}:\n{tail}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
