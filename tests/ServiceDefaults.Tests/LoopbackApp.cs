using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

/// <summary>
/// Base for tests against a real WebApplication with <c>AddServiceDefaults()</c>, served over a
/// loopback socket on a port the OS picks, so real HttpClient handlers and hosting run as in production.
/// </summary>
public abstract class LoopbackApp : IAsyncLifetime
{
    private WebApplication? _app;

    protected WebApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>Where the app listens, once started.</summary>
    protected Uri BaseAddress => new(App.Urls.Single());

    /// <summary>Adds the middleware and endpoints the tests call.</summary>
    protected abstract void Map(WebApplication app);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        Map(_app);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
