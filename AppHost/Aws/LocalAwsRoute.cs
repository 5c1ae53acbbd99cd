using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>How a local run's telemetry reaches AWS, besides the dashboard, which always gets it.</summary>
internal enum LocalAwsRoute
{
    /// <summary>No region is set: the dashboard only.</summary>
    Off,

    /// <summary>The collector runs and exports to AWS.</summary>
    Collector,

    /// <summary>No collector runs: each project sends to the dashboard and, as a copy, straight to AWS's OTLP endpoints.</summary>
    Direct,
}

/// <summary>Chooses the local AWS route and gives projects what the direct one needs.</summary>
public static class LocalAwsRouteExtensions
{
    /// <summary>The route a run takes: a region turns AWS on, and the collector carries it when it runs.</summary>
    internal static LocalAwsRoute Of(AwsConfig aws, bool collectorRuns) =>
        aws.Region is null ? LocalAwsRoute.Off : collectorRuns ? LocalAwsRoute.Collector : LocalAwsRoute.Direct;

    /// <summary>
    /// The <see cref="OtlpCopy"/> settings, as environment variables, that send every signal ServiceDefaults exports
    /// straight to its AWS endpoint in <paramref name="region"/> too, with the log group and stream for logs.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> CopyEnvironment(string region, AwsTelemetrySettings telemetry) =>
    [
        .. TelemetrySignals.All.Select(signal => KeyValuePair.Create(Variable(OtlpCopy.EndpointSettingOf(signal)), AwsOtlpEndpoints.For(signal, region))),
        KeyValuePair.Create(Variable(OtlpCopy.LogsHeadersSetting), AwsOtlpEndpoints.LogsHeaders(telemetry)),
    ];

    /// <summary>
    /// When this run has no collector (no container runtime, or <c>Collector:Mode=off</c>) and <paramref name="aws"/> has
    /// a region, the project sends each signal straight to AWS as well as to the dashboard: ServiceDefaults adds a
    /// second exporter per signal (<see cref="OtlpCopy"/>), signed with SigV4, with credentials from the AWS SDK's
    /// default chain and the profile <see cref="AwsConfigExtensions.WithReference{T}"/> passes. Nothing changes when
    /// the collector runs, without a region, or when publishing.
    /// </summary>
    /// <param name="project">A project that references <paramref name="aws"/>.</param>
    /// <param name="collector">The collector, whether or not it runs.</param>
    /// <param name="aws">The AWS settings.</param>
    /// <returns>The project's resource builder.</returns>
    /// <exception cref="InvalidOperationException">The AWS settings ask for a route only the collector has (awsxray, awsemf).</exception>
    public static IResourceBuilder<ProjectResource> WithDirectToAwsFallback(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<AdotCollectorResource> collector, AwsConfig aws)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(aws);

        var collectorRuns = project.ApplicationBuilder.Resources.Contains(collector.Resource);
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode || Of(aws, collectorRuns) != LocalAwsRoute.Direct)
        {
            return project;
        }

        RefuseCollectorOnlyRoutes(aws.Telemetry);
        var environment = CopyEnvironment(aws.Region!, aws.Telemetry);
        return project.WithEnvironment(context =>
        {
            foreach (var (name, value) in environment)
            {
                context.EnvironmentVariables[name] = value;
            }
        });
    }

    /// <summary>The direct route sends OTLP only: the awsxray and awsemf routes exist only in the collector.</summary>
    private static void RefuseCollectorOnlyRoutes(AwsTelemetrySettings telemetry)
    {
        var (setting, value, otlpTarget) =
            telemetry.TraceExport != TraceExport.Otlp ? (nameof(AwsTelemetrySettings.TraceExport), telemetry.TraceExport.ToString(), "X-Ray's OTLP endpoint")
            : telemetry.MetricsExport != MetricsExport.Otlp ? (nameof(AwsTelemetrySettings.MetricsExport), telemetry.MetricsExport.ToString(), "CloudWatch's OTLP endpoint")
            : (null, null, null);
        if (setting is not null)
        {
            throw new InvalidOperationException(
                $"AWS:{setting} is {value!.ToLowerInvariant()}, which only the collector can do, and no collector runs (no Docker or Podman, " +
                $"or Collector:Mode=off). Start Docker or Podman with Collector:Mode=auto, or remove AWS:{setting} to send straight to {otlpTarget}.");
        }
    }

    /// <summary>A configuration key as an environment variable name (<c>:</c> becomes <c>__</c>).</summary>
    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
