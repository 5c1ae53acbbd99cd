using System.Diagnostics;
using System.Globalization;

namespace BenchDriver;

/// <summary>
/// A process the driver started (SampleApi or the sink), with what the benchmark reads off it:
/// CPU time (utime + stime from <c>/proc/PID/stat</c>) and resident memory (<c>/proc/PID/status</c>).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on Linux x86_64 and arm64
    private readonly Process _process;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet DLL ARGS</c> in the DLL's folder (so it finds its appsettings.json), output discarded.</summary>
    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        Start(name, ["dotnet", dll, .. arguments], Path.GetDirectoryName(dll)!, environment);

    /// <summary>Starts <paramref name="command"/> (the program, then its arguments) in <paramref name="workingDirectory"/>, output discarded.</summary>
    public static ChildProcess Start(string name, IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        // Drain both pipes so a chatty child never blocks on a full pipe; pass its errors on.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => Console.Error.WriteLineIfNotNull(name, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, name);
    }

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name and state.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>Resident set size now, in MiB; 0 once the process has exited.</summary>
    public double RssMiB() => StatusKiB("VmRSS:") / 1024.0;

    /// <summary>Peak resident set size over the process's life, in MiB; 0 once the process has exited.</summary>
    public double PeakRssMiB() => StatusKiB("VmHWM:") / 1024.0;

    /// <summary>Asks the process to stop as Kubernetes does: SIGTERM.</summary>
    public void Terminate()
    {
        if (HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not gone within 30 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Terminate();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private double StatusKiB(string field)
    {
        try
        {
            // An exited process not yet reaped keeps its status file, without memory fields.
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(line => line.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // reaped
        }
    }

}

internal static class ConsoleExtensions
{
    public static void WriteLineIfNotNull(this TextWriter writer, string prefix, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine($"[{prefix}] {line}");
        }
    }
}
