using System.Net;
using System.Net.Sockets;

namespace SampleApi.Tests;

/// <summary>
/// A collector that is down: a loopback port bound but not listening, so connections to it are
/// refused and no other server of the parallel tests can take the port (a freed port could be
/// reused, and another server's 404 would read as a refusal that will not heal). <see cref="StartAsync"/>
/// brings the collector up on the same port.
/// </summary>
public sealed class DownCollector : IDisposable
{
    private readonly Socket _reserved = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public DownCollector() => _reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_reserved.LocalEndPoint!).Port;

    /// <summary>Gives the port up and starts a receiver on it.</summary>
    public Task<OtlpReceiver> StartAsync(bool http2Only)
    {
        var port = Port;
        _reserved.Dispose();
        return OtlpReceiver.StartAsync(http2Only, port: port);
    }

    public void Dispose() => _reserved.Dispose();
}
