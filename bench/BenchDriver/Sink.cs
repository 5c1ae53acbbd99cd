using System.Net.Http.Json;
using System.Net.Sockets;
using OtlpSink;

namespace BenchDriver;

/// <summary>The OTLP sink process (bench/OtlpSink) and its control endpoints.</summary>
internal sealed class Sink : IDisposable
{
    private readonly HttpClient _control;

    private Sink(ChildProcess process, int grpcPort, int httpPort, int controlPort)
    {
        Process = process;
        GrpcEndpoint = $"http://127.0.0.1:{grpcPort}";
        HttpPort = httpPort;
        HttpEndpoint = $"http://127.0.0.1:{httpPort}";
        _control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}") };
    }

    public ChildProcess Process { get; }

    public string GrpcEndpoint { get; }

    /// <summary>The OTLP/HTTP port on loopback, which also answers for AWS's host names (<see cref="AwsHosts"/>).</summary>
    public int HttpPort { get; }

    public string HttpEndpoint { get; }

    public static async Task<Sink> StartAsync(string dll)
    {
        int grpc = FreePort(), http = FreePort(), control = FreePort();
        var process = ChildProcess.StartDotnet("sink", dll, [$"--GrpcPort={grpc}", $"--HttpPort={http}", $"--ControlPort={control}"], new Dictionary<string, string>());
        var sink = new Sink(process, grpc, http, control);
        await Readiness.WaitAsync(sink._control, "/counts", process);
        return sink;
    }

    public async Task<TallySnapshot> CountsAsync() =>
        (await _control.GetFromJsonAsync<TallySnapshot>("/counts"))!;

    public async Task ResetAsync() => (await _control.PostAsync("/reset", null)).EnsureSuccessStatusCode();

    /// <summary>Closes the OTLP ports: exporters now get connection refused, as when a collector is down.</summary>
    public async Task StopOtlpAsync() => (await _control.PostAsync("/otlp/stop", null)).EnsureSuccessStatusCode();

    public async Task StartOtlpAsync() => (await _control.PostAsync("/otlp/start", null)).EnsureSuccessStatusCode();

    /// <summary>
    /// Waits until <paramref name="expected"/> spans (and <paramref name="expectedLogRecords"/> log
    /// records) of a phase have arrived, or until neither count has moved for <paramref name="quiet"/>
    /// (what is missing by then is lost, not late).
    /// </summary>
    public async Task<TallySnapshot> SettleAsync(int phase, long expected, TimeSpan quiet, long expectedLogRecords = 0)
    {
        var key = Phase.Key(phase);
        var last = (-1L, -1L);
        var lastChange = DateTime.UtcNow;
        while (true)
        {
            var counts = await CountsAsync();
            var now = (counts.SpansByPhase.GetValueOrDefault(key), counts.LogRecordsByPhase.GetValueOrDefault(key));
            if ((now.Item1 >= expected && now.Item2 >= expectedLogRecords) || DateTime.UtcNow - lastChange > quiet)
            {
                return counts;
            }

            if (now != last)
            {
                last = now;
                lastChange = DateTime.UtcNow;
            }

            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        _control.Dispose();
        Process.Dispose();
    }

    /// <summary>A loopback port nothing listens on right now (the OS's ephemeral range, never the AppHost's fixed ports).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Polls an HTTP path until it answers 2xx.</summary>
internal static class Readiness
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StartupPollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task WaitAsync(HttpClient client, string path, ChildProcess process) =>
        WaitAsync(client, path, process, DefaultPollInterval);

    /// <summary>
    /// Polls as fast as a refused connection answers (a few ms apart) until <paramref name="path"/>
    /// returns 200: what start-up time is measured to.
    /// </summary>
    public static async Task WaitForFirstSuccessAsync(Uri baseAddress, string path, ChildProcess process)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        await WaitAsync(client, path, process, StartupPollInterval);
    }

    private static async Task WaitAsync(HttpClient client, string path, ChildProcess process, TimeSpan pollInterval)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with code {process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await client.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(pollInterval);
        }

        throw new TimeoutException($"{process.Name} did not answer {path} within {Timeout.TotalSeconds:F0} s.");
    }
}
