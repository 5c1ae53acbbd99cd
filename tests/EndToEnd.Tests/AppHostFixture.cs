using AppHost.Tests;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The real AppHost started once through DCP, with the real Aspire dashboard, shared by the tests
/// that use it. Each test works on its own trace, so sharing keeps them independent.
/// </summary>
public abstract class AppHostFixture : IAsyncLifetime
{
    public const string SampleApi = "sampleapi";

    private const string DashboardResource = "aspire-dashboard";
    private const string DashboardOtlpGrpcEndpoint = "otlp-grpc";
    private const string InteractivitySetting = "ASPIRE_INTERACTIVITY_ENABLED";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>Every line the AppHost logged, as its console would show them.</summary>
    public IReadOnlyCollection<(string Category, LogLevel Level, string Message)> Logs { get; private set; } = [];

    /// <summary>A client for the dashboard's telemetry API, authenticated with this run's API key.</summary>
    public DashboardTelemetryClient Dashboard { get; private set; } = null!;

    /// <summary>The dashboard's login link with this run's browser token, as the AppHost prints it.</summary>
    public Uri DashboardLoginUrl { get; private set; } = null!;

    /// <summary>The dashboard's own OTLP/gRPC endpoint.</summary>
    public Uri DashboardOtlpEndpoint { get; private set; } = null!;

    /// <summary>Settings on top of the AppHost's own, as command-line arguments.</summary>
    protected abstract IEnumerable<string> Settings { get; }

    /// <summary>The value of an environment variable as the running resource received it.</summary>
    public string? EnvironmentOf(string resource, string variable) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var state)
            ? state.Snapshot.EnvironmentVariables.SingleOrDefault(env => env.Name == variable)?.Value
            : throw new InvalidOperationException($"Resource '{resource}' is not in the model.");

    /// <summary>Whether the app model holds a resource of that name.</summary>
    public bool HasResource(string resource) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Any(r => r.Name == resource);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        string[] args =
        [
            .. IsolatedAppHost.Arguments,
            .. Settings,
            // Don't wait 60 s for a container runtime that may not exist.
            "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00",
            // Disposing waits until DCP has stopped every process it started (about 3 s here).
            "--DcpPublisher:WaitForResourceCleanup=true",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, args, timeout.Token);
        // As in a real run: the testing builder turns the dashboard's notifications and prompts off,
        // over any argument, so only a setting made here wins.
        builder.Configuration[InteractivitySetting] = "true";
        // The logging system owns (and disposes) the provider; the entries stay readable.
        var logs = new CapturingLoggerProvider();
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        Logs = logs.Entries;
        // Subscribed after the AppHost's own handlers, which therefore have run (and logged) when this one does.
        var apiReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        builder.Eventing.Subscribe<ResourceReadyEvent>(builder.Resources.Single(r => r.Name == SampleApi), (_, _) =>
        {
            apiReady.TrySetResult();
            return Task.CompletedTask;
        });

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(SampleApi, timeout.Token);
        await apiReady.Task.WaitAsync(timeout.Token);

        var dashboard = _app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ExecutableResource>()
            .Single(resource => resource.Name == DashboardResource);
        DashboardOtlpEndpoint = new Uri(dashboard.GetEndpoint(DashboardOtlpGrpcEndpoint).Url);
        var dashboardUrl = await _app.GetDashboardUrlAsync(timeout.Token);
        DashboardLoginUrl = dashboardUrl;
        Dashboard = new DashboardTelemetryClient(new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority)), IsolatedAppHost.DashboardApiKey);
    }

    public async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
