using System.Diagnostics;
using System.Text;

namespace AppHost.Eks;

/// <summary>Runs a command line tool to completion and fails with its output when it fails.</summary>
internal static class ExternalCommand
{
    // Enough of a failing tool's output to explain itself, without flooding the error.
    private const int TailLines = 40;

    /// <summary>Runs <paramref name="fileName"/>; throws with the command's last output lines on a non-zero exit.</summary>
    public static async Task RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
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
