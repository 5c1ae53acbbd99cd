using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;

namespace SampleApi.Tests.Aws;

/// <summary>
/// The test double for AWS's OTLP endpoints: <c>sigv4_verifier.py</c> under Debian's
/// <c>python3-botocore</c>, which checks each request's signature with an implementation we did not
/// write. It serves HTTPS, as AWS does, with a certificate of its own for AWS's host names in
/// <see cref="DirectToAwsTests.Region"/>. It refuses (503) until <see cref="AcceptAsync"/>; every
/// request it saw is in <see cref="Received"/>.
/// </summary>
public sealed class SigV4Verifier : IAsyncDisposable
{
    /// <summary>Debian's interpreter, which has python3-botocore (not a pyenv one on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly X509Certificate2 _certificate;
    private readonly string _folder;
    private readonly List<Request> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _reader;

    private SigV4Verifier(Process process, int port, X509Certificate2 certificate, string folder)
    {
        _process = process;
        _certificate = certificate;
        _folder = folder;
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
        var folder = Directory.CreateTempSubdirectory("sigv4-verifier-").FullName;
        var certificate = CreateCertificate(folder, out var certificateFile, out var keyFile);
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Aws", "sigv4_verifier.py"), accessKey, secretKey, sessionToken ?? string.Empty,
                certificateFile, keyFile,
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var first = await process.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException($"The verifier exited (code {(process.HasExited ? process.ExitCode : null)}); is python3-botocore installed (apt-get install python3-botocore)?");
        return new SigV4Verifier(process, JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32(), certificate, folder);
    }

    /// <summary>
    /// The test seam that makes this verifier answer for AWS's host names: the export sender's connections to any
    /// <c>*.amazonaws.com</c> host go to it on loopback, and its certificate is the one root the sender trusts;
    /// any other host is connected as asked.
    /// </summary>
    internal OtlpTestNetwork AwsHostsConnection() => new(async (context, cancellationToken) =>
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
    }, _certificate);

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
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A self-signed certificate for <c>*.{region}.amazonaws.com</c>, written as PEM files for the script.</summary>
    private static X509Certificate2 CreateCertificate(string folder, out string certificateFile, out string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=*.{DirectToAwsTests.Region}.amazonaws.com", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName($"*.{DirectToAwsTests.Region}.amazonaws.com");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        certificateFile = Path.Combine(folder, "server.pem");
        keyFile = Path.Combine(folder, "server.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return certificate;
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
