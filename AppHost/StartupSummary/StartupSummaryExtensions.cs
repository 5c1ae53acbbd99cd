using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Prints, once the API is up, what a newcomer needs to get a trace on screen.</summary>
public static partial class StartupSummaryExtensions
{
    // Aspire's names for its dashboard resource, its endpoints and its login token setting.
    internal const string DashboardResource = "aspire-dashboard";
    internal const string BrowserTokenSetting = "AppHost:BrowserToken";
    private static readonly string[] DashboardEndpoints = ["https", "http"];

    /// <summary>
    /// When the API is ready (healthy), logs a short summary: a ready <c>curl</c> for <c>/sample</c>,
    /// the dashboard's login link, whether the ADOT collector runs (or why not) and whether X-Ray
    /// export is on (or how to turn it on).
    /// </summary>
    /// <param name="api">The API to call.</param>
    /// <param name="collector">The collector, whether or not it runs.</param>
    /// <param name="aws">The AWS settings.</param>
    /// <returns>The API's resource builder.</returns>
    public static IResourceBuilder<ProjectResource> WithStartupSummary(
        this IResourceBuilder<ProjectResource> api, IResourceBuilder<AdotCollectorResource> collector, AwsConfig aws)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(aws);

        return api.OnResourceReady((resource, e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupSummary.LoggerCategory);
            var model = e.Services.GetRequiredService<DistributedApplicationModel>();
            var lines = StartupSummary.Lines(
                resource.Name,
                new Uri(resource.GetEndpoint("http").Url),
                DashboardLoginUrl(model, e.Services.GetRequiredService<IConfiguration>()),
                Status(collector.Resource, model, e.Services.GetRequiredService<ResourceNotificationService>()),
                aws);
            var summary = string.Join('\n', lines);
            LogSummary(logger, summary);
            return Task.CompletedTask;
        });
    }

    /// <summary>The dashboard's login link as Aspire's testing helpers build it, or null without a dashboard.</summary>
    private static Uri? DashboardLoginUrl(DistributedApplicationModel model, IConfiguration configuration)
    {
        if (model.Resources.SingleOrDefault(r => r.Name == DashboardResource) is not IResourceWithEndpoints dashboard)
        {
            return null;
        }

        var endpoint = DashboardEndpoints.Select(dashboard.GetEndpoint).FirstOrDefault(e => e.Exists && e.IsAllocated);
        if (endpoint is null)
        {
            return null;
        }

        var url = new Uri(endpoint.Url);
        var token = configuration[BrowserTokenSetting];
        return string.IsNullOrEmpty(token) ? url : new Uri(url, $"/login?t={Uri.EscapeDataString(token)}");
    }

    private static CollectorStatus Status(
        AdotCollectorResource collector, DistributedApplicationModel model, ResourceNotificationService notifications)
    {
        if (!model.Resources.Contains(collector))
        {
            return CollectorStatus.Skipped(collector.NotStartedReason ?? "ADOT collector not in this run.");
        }

        var state = notifications.TryGetCurrentState(collector.Name, out var current) ? current.Snapshot.State?.Text : null;
        var url = collector.GrpcEndpoint.IsAllocated ? collector.GrpcEndpoint.Url : $"port {AdotCollectorResource.GrpcPort}";
        return CollectorStatus.Added(state, url);
    }

    [LoggerMessage(EventId = 1, EventName = "StartupSummary", Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogSummary(ILogger logger, string summary);
}
