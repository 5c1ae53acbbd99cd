using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The handler OTLP requests leave the process through: a <see cref="SocketsHttpHandler"/>, under
/// the SigV4 signer when some signal goes to AWS with SigV4.
/// </summary>
internal static class ExportSender
{
    /// <summary>A new sender; <paramref name="credentials"/> null means nothing is signed.</summary>
    public static HttpMessageHandler Create(TimeSpan connectTimeout, AwsCredentialSource? credentials, IServiceProvider services)
    {
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            MeterFactory = UnobservedMeters.Instance,
        };
        if (services.GetService<OtlpConnectCallback>() is { } connect)
        {
            sockets.ConnectCallback = connect.Connect;
        }

        return credentials is null ? sockets : new AwsSigningHandler(credentials, TimeProvider.System) { InnerHandler = sockets };
    }
}

/// <summary>
/// Test seam: how the sender opens connections, so that a test can answer for an AWS host name on
/// loopback. Production registers none and connects by DNS.
/// </summary>
/// <param name="Connect">Opens the connection for one request.</param>
internal sealed record OtlpConnectCallback(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect);

/// <summary>
/// Meters no provider subscribes to, for the sender's <c>http.client.*</c> metrics: they describe
/// telemetry's own deliveries, and <see cref="OpenTelemetry.SuppressInstrumentationScope"/> does not
/// reach the runtime's meters (connection metrics are recorded outside any request anyway). One
/// meter per requested name and version, for the life of the process.
/// </summary>
internal sealed class UnobservedMeters : IMeterFactory
{
    /// <summary>The name every meter gets, whatever it asked for: no view or AddMeter names it.</summary>
    public const string MeterName = "ServiceDefaults.OtlpExport.Sender";

    public static readonly UnobservedMeters Instance = new();

    private readonly ConcurrentDictionary<(string Name, string? Version), Meter> _meters = new();

    public Meter Create(MeterOptions options) =>
        _meters.GetOrAdd((options.Name, options.Version), key => new Meter(MeterName, key.Version));

    public void Dispose()
    {
        // Process-wide: the meters live as long as the senders that may still use them.
    }
}
