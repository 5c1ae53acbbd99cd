using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests.Aws;

/// <summary>
/// The test double for AWS's OTLP endpoints: <c>sigv4_verifier.py</c> under Debian's
/// <c>python3-botocore</c>, which checks each request's signature with an implementation we did not
/// write. It refuses (503) until <see cref="AcceptAsync"/>; every request it saw is in <see cref="Received"/>.
/// </summary>
public sealed class SigV4Verifier : IAsyncDisposable
{
    /// <summary>Debian's interpreter, which has python3-botocore (not a pyenv one on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<Request> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _reader;

    private SigV4Verifier(Process process, int port)
    {
        _process = process;
        Port = port;
        _reader = Task.Run(ReadAsync);
    }

    public int Port { get; }

    public IReadOnlyList<Request> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<SigV4Verifier> StartAsync(string accessKey, string secretKey, string? sessionToken)
    {
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Aws", "sigv4_verifier.py"), accessKey, secretKey, sessionToken ?? string.Empty },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var first = await process.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException($"The verifier exited (code {(process.HasExited ? process.ExitCode : null)}); is python3-botocore installed (apt-get install python3-botocore)?");
        return new SigV4Verifier(process, JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32());
    }

    /// <summary>
    /// The test seam that makes this verifier answer for AWS's host names: the export sender's connections to any
    /// <c>*.amazonaws.com</c> host go to it on loopback (over plain HTTP); any other host is connected as asked.
    /// </summary>
    internal OtlpConnectCallback AwsHostsConnection() => new(async (context, cancellationToken) =>
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint target = context.DnsEndPoint.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
                ? new IPEndPoint(IPAddress.Loopback, Port)
                : context.DnsEndPoint;
            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    });

    /// <summary>From now on valid requests are answered 200, invalid ones 403.</summary>
    public async Task AcceptAsync()
    {
        await _process.StandardInput.WriteLineAsync("accept");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until a received request satisfies <paramref name="match"/>; null if none does before the timeout.</summary>
    public async Task<Request?> WaitForAsync(Func<Request, bool> match, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close(); // the script stops at the end of its input
        using var exit = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _reader;
        _process.Dispose();
        _arrived.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var request = JsonSerializer.Deserialize<Request>(line)!;
            lock (_received)
            {
                _received.Add(request);
            }

            _arrived.Release();
        }
    }

    /// <summary>One request as the verifier saw it.</summary>
    public sealed record Request(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("valid")] bool Valid,
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("accepted")] bool Accepted,
        [property: JsonPropertyName("headers")] IReadOnlyList<string> Headers,
        [property: JsonPropertyName("details")] JsonElement Details,
        [property: JsonPropertyName("body")] byte[] Body)
    {
        public string Service => Details.GetProperty("service").GetString()!;

        public IReadOnlyList<string> SignedHeaders => [.. Details.GetProperty("signed").EnumerateArray().Select(name => name.GetString()!)];

        public DateTimeOffset SignedAt => DateTimeOffset.ParseExact(
            Details.GetProperty("amz_date").GetString()!, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);

        public bool Contains(byte[] needle) => Body.AsSpan().IndexOf(needle) >= 0;
    }
}
