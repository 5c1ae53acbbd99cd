using System.Security.Cryptography.X509Certificates;
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
        if (services.GetService<OtlpTestNetwork>() is { } network)
        {
            sockets.ConnectCallback = network.Connect;
            sockets.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { network.TrustedRoot },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        return credentials is null ? sockets : new AwsSigningHandler(credentials, TimeProvider.System) { InnerHandler = sockets };
    }
}

/// <summary>
/// Test seam: how the sender opens connections and which certificate authority it trusts, so that a
/// test can answer for an AWS host name on loopback, over TLS. Production registers none: it connects
/// by DNS and trusts the system's roots.
/// </summary>
/// <param name="Connect">Opens the connection for one request.</param>
/// <param name="TrustedRoot">The one root that server certificates must chain to.</param>
internal sealed record OtlpTestNetwork(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect, X509Certificate2 TrustedRoot);
