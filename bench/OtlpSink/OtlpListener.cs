using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OtlpSink;

/// <summary>
/// The OTLP side of the sink: can be stopped (its ports then refuse connections, like a collector
/// that went away) and started again on the same ports, while the tally carries on.
/// </summary>
internal sealed class OtlpListener(int grpcPort, int httpPort, Tally tally) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;

    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_app is not null)
            {
                return;
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                // Plain-text gRPC is HTTP/2 with prior knowledge; OTLP/HTTP is HTTP/1.1.
                kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
                kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
            });
            var app = builder.Build();
            app.MapOtlp(tally);
            await app.StartAsync();
            _app = app;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_app is { } app)
            {
                _app = null;
                await app.StopAsync(TimeSpan.FromSeconds(1));
                await app.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public bool IsRunning => _app is not null;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _gate.Dispose();
    }
}
