namespace Aspire.Hosting;

/// <summary>
/// The few lines the AppHost prints once the API is up: where to look, what to call, and whether
/// the collector runs and which route to AWS is on (and how to turn them on when they are not).
/// </summary>
internal static class StartupSummary
{
    public const string LoggerCategory = "AppHost";

    /// <summary>The region the "how to turn AWS on" hint names; any region works.</summary>
    public const string ExampleRegion = "eu-west-2";

    /// <summary>The summary for one run, as lines without trailing spaces.</summary>
    /// <param name="apiName">The API's resource name, as the dashboard shows it.</param>
    /// <param name="apiUrl">The API's http endpoint.</param>
    /// <param name="dashboardLoginUrl">The dashboard's login link, or null when there is no dashboard.</param>
    /// <param name="collector">The collector's state.</param>
    /// <param name="aws">The AWS settings.</param>
    public static IReadOnlyList<string> Lines(
        string apiName, Uri apiUrl, Uri? dashboardLoginUrl, CollectorStatus collector, AwsConfig aws)
    {
        var sampleUrl = new Uri(apiUrl, SampleRequests.SampleWithoutDelays);
        List<string> lines =
        [
            $"{apiName} is ready. Call it:",
            $"  curl '{sampleUrl}'",
        ];
        if (dashboardLoginUrl is not null)
        {
            lines.Add($"Dashboard: {dashboardLoginUrl}");
            lines.Add($"  Traces shows '{SampleRequests.TraceName(apiName)}'; Structured logs shows its three 'sampleN done.' lines.");
        }

        lines.Add($"Collector: {collector.Description}");
        lines.Add($"AWS: {Aws(collector, aws)}");
        return lines;
    }

    /// <summary>
    /// The same facts as a dashboard notification, for runs whose console shows no AppHost log
    /// (<c>aspire run</c> keeps it in a file): how to call the API and what the collector and the AWS route do.
    /// </summary>
    /// <param name="apiName">The API's resource name, as the dashboard shows it.</param>
    /// <param name="apiUrl">The API's http endpoint.</param>
    /// <param name="collector">The collector's state.</param>
    /// <param name="aws">The AWS settings.</param>
    public static SummaryNotification Notification(string apiName, Uri apiUrl, CollectorStatus collector, AwsConfig aws) =>
        new(
            $"{apiName} is ready",
            $"Call it with its links on this page or its '{SampleApiDashboardExtensions.CallSampleDisplayName}' command; " +
                $"Traces then shows '{SampleRequests.TraceName(apiName)}'. Collector: {collector.Description} AWS: {Aws(collector, aws)}",
            SampleApiDashboardExtensions.SampleWithoutDelaysLinkText,
            new Uri(apiUrl, SampleRequests.SampleWithoutDelays));

    private static string Aws(CollectorStatus collector, AwsConfig aws)
    {
        // The collector and the projects read ~/.aws as the user does (docs/collector.md): a named profile, else the default one.
        var credentials = aws.Profile is { } profile ? $"profile {profile}" : "the default profile";
        return LocalAwsRouteExtensions.Of(aws, collector.IsInModel) switch
        {
            LocalAwsRoute.Collector =>
                $"on through the collector, region {aws.Region}, {credentials}: traces to X-Ray, logs and metrics to CloudWatch.",
            LocalAwsRoute.Direct =>
                $"on straight from the projects (no collector runs), region {aws.Region}, {credentials}: traces to X-Ray, " +
                $"logs to CloudWatch Logs group {aws.Telemetry.LogGroup} stream {aws.Telemetry.LogStream} (both must exist), " +
                "metrics to CloudWatch; the dashboard gets them too.",
            _ => "off. To turn it on, give a region (and a profile unless you use the default one): " +
                $"dotnet user-secrets set {AwsConfigExtensions.RegionSetting} {ExampleRegion} --project AppHost",
        };
    }
}

/// <summary>Whether the collector is part of this run, and in words what that means.</summary>
/// <param name="IsInModel">True when the collector was added to the run.</param>
/// <param name="Description">One sentence for the summary.</param>
internal sealed record CollectorStatus(bool IsInModel, string Description)
{
    /// <summary>The collector runs (or starts) with the state Aspire reports for it.</summary>
    public static CollectorStatus Added(string? state, string otlpUrl) =>
        new(true, $"ADOT collector {state ?? "Starting"}: projects send OTLP to it at {otlpUrl}, and it forwards to the dashboard.");

    /// <summary>The collector was left out of the run, for <paramref name="reason"/>.</summary>
    public static CollectorStatus Skipped(string reason) => new(false, reason);
}

/// <summary>A notification for the dashboard: a title, one paragraph and one link.</summary>
/// <param name="Title">What happened, in a few words.</param>
/// <param name="Message">What to do next.</param>
/// <param name="LinkText">The link's label.</param>
/// <param name="LinkUrl">Where the link goes.</param>
internal sealed record SummaryNotification(string Title, string Message, string LinkText, Uri LinkUrl);
