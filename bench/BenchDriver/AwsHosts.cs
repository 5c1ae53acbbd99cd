using CliWrap;
using CliWrap.Buffered;

namespace BenchDriver;

/// <summary>
/// AWS's OTLP host names resolved to the sink on loopback, for the processes started through
/// <see cref="Launcher"/> only: ServiceDefaults knows an AWS endpoint by its host alone, so it signs
/// their every request with SigV4 while nothing leaves the machine, and it needs no setting or seam
/// for this. Such a process runs in its own mount namespace (<c>unshare --mount</c>) with a private
/// hosts file bind-mounted over <c>/etc/hosts</c>; the rest of the machine keeps its own.
/// </summary>
internal sealed class AwsHosts : IDisposable
{
    /// <summary>The region the endpoints name; any would do, none is contacted.</summary>
    public const string Region = "us-east-1";

    /// <summary>The SigV4 services of traces, logs and metrics, which are also their hosts' first labels.</summary>
    public const string Traces = "xray", Logs = "logs", Metrics = "monitoring";

    // In the new namespace: bind-mount the hosts file ($0), then become the command ("$@"), so the
    // process id the driver measures is the command's own.
    private const string MountThenExec = "mount --bind \"$0\" /etc/hosts && exec \"$@\"";

    private readonly string _hostsFile;

    private AwsHosts(string hostsFile)
    {
        _hostsFile = hostsFile;
        Launcher = ["unshare", "--mount", "--", "sh", "-c", MountThenExec, hostsFile];
    }

    /// <summary>The command prefix that starts a command with AWS's host names on loopback.</summary>
    public IReadOnlyList<string> Launcher { get; }

    /// <summary>e.g. <c>http://xray.us-east-1.amazonaws.com:PORT/v1/traces</c>: plain HTTP, as the sink serves it.</summary>
    public static string Endpoint(string service, int port, string path) => $"http://{Host(service)}:{port}{path}";

    /// <summary>
    /// Writes the hosts file (this machine's, plus the three names on 127.0.0.1) and checks that a
    /// process started through <see cref="Launcher"/> resolves them there: otherwise it would send to
    /// the real AWS.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not so on this machine, with what failed.</exception>
    public static async Task<AwsHosts> CreateAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-aws-hosts-{Environment.ProcessId}");
        File.WriteAllText(path, File.ReadAllText("/etc/hosts") + $"\n127.0.0.1 {Host(Traces)} {Host(Logs)} {Host(Metrics)}\n");
        var hosts = new AwsHosts(path);
        var resolved = await hosts.RunAsync(["getent", "ahostsv4", Host(Traces)]);
        if (!resolved.StartsWith("127.0.0.1", StringComparison.Ordinal))
        {
            hosts.Dispose();
            throw new InvalidOperationException(
                $"The variant signed for AWS needs {Host(Traces)} to resolve to 127.0.0.1 for SampleApi alone, through " +
                "`unshare --mount` (util-linux) and a bind-mounted /etc/hosts, which need root (or CAP_SYS_ADMIN). " +
                $"Here that gave: '{resolved.Trim()}'. Run bench/run.sh as root, or leave out the cost scenario (--only).");
        }

        return hosts;
    }

    public void Dispose() => File.Delete(_hostsFile);

    private static string Host(string service) => $"{service}.{Region}.amazonaws.com";

    /// <summary>Runs a short command through <see cref="Launcher"/>; its output and errors, or why it did not start.</summary>
    private async Task<string> RunAsync(IReadOnlyList<string> command)
    {
        try
        {
            var result = await Cli.Wrap(Launcher[0]).WithArguments([.. Launcher.Skip(1), .. command])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            return result.StandardOutput + result.StandardError;
        }
        catch (InvalidOperationException error)
        {
            return error.Message; // CliWrap's "Failed to start a process": unshare is not installed
        }
    }
}
