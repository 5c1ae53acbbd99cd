using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Prints, once the API is up, what a newcomer needs to get a trace on screen.</summary>
public static partial class StartupSummaryExtensions
{
    /// <summary>
    /// When the API is ready (healthy), logs a short summary: a ready <c>curl</c> for <c>/sample</c>,
    /// the dashboard's login link, whether the ADOT collector runs (or why not) and which route to AWS
    /// is on: through the collector, straight from the projects, or off (and how to turn it on). The dashboard shows the same as a notification, since
    /// <c>aspire run</c> keeps the AppHost's log in a file.
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
            var apiUrl = new Uri(resource.GetEndpoint("http").Url);
            var status = Status(collector.Resource, model, e.Services.GetRequiredService<ResourceNotificationService>());
            var dashboard = DashboardAddress.Find(model);
            var loginUrl = dashboard is null
                ? null
                : DashboardAddress.LoginUrl(dashboard, e.Services.GetRequiredService<IConfiguration>()[DashboardAddress.BrowserTokenSetting]);
            var summary = string.Join('\n', StartupSummary.Lines(resource.Name, apiUrl, loginUrl, status, aws));
            LogSummary(logger, summary);
            Notify(e.Services, logger, StartupSummary.Notification(resource.Name, apiUrl, status, aws));
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Shows the notification on the dashboard, when there is one. Not awaited: the prompt completes
    /// only when someone dismisses it, and the run must not wait for that.
    /// </summary>
    private static void Notify(IServiceProvider services, ILogger logger, SummaryNotification notification)
    {
        var interactions = services.GetRequiredService<IInteractionService>();
        if (!interactions.IsAvailable)
        {
            return;
        }

        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var options = new NotificationInteractionOptions
        {
            Intent = MessageIntent.Information,
            LinkText = notification.LinkText,
            LinkUrl = notification.LinkUrl.ToString(),
        };
        _ = interactions.PromptNotificationAsync(notification.Title, notification.Message, options, stopping)
            .ContinueWith(
                prompt => LogNotificationFailed(logger, prompt.Exception!.GetBaseException()),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
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

    [LoggerMessage(EventId = 2, EventName = "StartupNotificationFailed", Level = LogLevel.Warning,
        Message = "The dashboard did not take the startup notification; the summary above says the same.")]
    private static partial void LogNotificationFailed(ILogger logger, Exception exception);
}
