using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Decides whether the collector runs and, when it does not, says so once.</summary>
internal static partial class CollectorFallback
{
    public const string LoggerCategory = "AppHost.Collector";

    public const string NoRuntimeMessage =
        "ADOT collector not started: no running Docker or Podman found, so projects send telemetry straight " +
        "to the dashboard. To use the collector, start Docker or Podman and run again, or set Collector:Mode=container.";

    public const string OffMessage =
        "ADOT collector off (Collector:Mode=off): projects send telemetry straight to the dashboard. " +
        "Set Collector:Mode=auto or container to use the collector.";

    public const string DirectRouteMessage =
        "ADOT collector left out: this publish-mode model is written for the direct EKS route (Eks:Route=direct), " +
        "where projects send straight to AWS.";

    /// <summary>Why the collector must not run, or null when it should.</summary>
    public static string? SkipReason(IDistributedApplicationBuilder builder)
    {
        var mode = CollectorModeSetting.Read(builder.Configuration);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return AppHost.Eks.DirectRoute.IsOn(builder.Configuration) ? DirectRouteMessage : null;
        }

        if (mode == CollectorMode.Container)
        {
            return null;
        }

        if (mode == CollectorMode.Off)
        {
            return OffMessage;
        }

        return ContainerRuntimeProbe.IsHealthyRuntimeAvailable(builder.Configuration) ? null : NoRuntimeMessage;
    }

    /// <summary>Logs <paramref name="message"/> when the AppHost starts.</summary>
    public static void LogAtStart(IDistributedApplicationBuilder builder, string message) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            LogNotStarted(e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory), message);
            return Task.CompletedTask;
        });

    [LoggerMessage(EventId = 1, EventName = "CollectorNotStarted", Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogNotStarted(ILogger logger, string message);
}
