using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The handler OTLP requests leave the process through: the export buffer's sender
/// (<see cref="ExportBuffer.CreateSender"/>), under the SigV4 signer when some signal goes to AWS with SigV4.
/// </summary>
internal static class ExportSender
{
    /// <summary>A new sender; <paramref name="credentials"/> null means nothing is signed.</summary>
    public static HttpMessageHandler Create(ExportBufferSettings settings, AwsCredentialSource? credentials, IServiceProvider services)
    {
        var sockets = ExportBuffer.CreateSender(settings);
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
