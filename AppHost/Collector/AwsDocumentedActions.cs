namespace Aspire.Hosting;

/// <summary>
/// The IAM actions AWS's own pages say each endpoint (or exporter) needs, written apart from
/// <see cref="CollectorIam.ExporterGrants"/> on purpose: <c>check.sh</c> simulates these against the
/// real role of the route it checks (the collector's, or the projects' on the direct route), so an action AWS documents but the policy lacks prints <c>MISSING</c>, and a
/// test fails when the policy does not cover them.
/// </summary>
internal static class AwsDocumentedActions
{
    public const string DescribeLogGroups = "logs:DescribeLogGroups";
    public const string DescribeLogStreams = "logs:DescribeLogStreams";

    /// <summary>Exporter id → the actions AWS documents for what it calls, on the resources this bundle uses.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AwsScope, IReadOnlyList<IamGrant>>> ByExporter =
        new Dictionary<string, Func<AwsScope, IReadOnlyList<IamGrant>>>(StringComparer.Ordinal)
        {
            [CollectorConfig.DashboardExporter] = _ => [],
            // Service Authorization Reference (X-Ray): PutSpans, PutSpansForIndexing; X-Ray's bearer-token guide:
            // the OTLP endpoint "is authorized as xray:PutTraceSegments".
            [CollectorConfig.XRayOtlpExporter] = _ =>
            [
                new(CollectorIam.PutSpans, IamGrant.AnyResource),
                new(CollectorIam.PutSpansForIndexing, IamGrant.AnyResource),
                new(CollectorIam.PutTraceSegments, IamGrant.AnyResource),
            ],
            [CollectorConfig.XRayExporter] = _ => [new(CollectorIam.PutTraceSegments, IamGrant.AnyResource)],
            // "Exporting collector-less telemetry using ADOT SDK" (CloudWatch): the logs endpoint needs PutLogEvents,
            // DescribeLogGroups and DescribeLogStreams (AWS's example: on every log group; here, ours).
            [CollectorConfig.CloudWatchLogsExporter] = scope => LogGroupActions(scope, scope.Settings.LogGroup),
            // "Using condition keys to limit access to CloudWatch namespaces", "Controlling OTLP ingest".
            [CollectorConfig.CloudWatchMetricsExporter] = _ => [new(CollectorIam.PutMetricData, IamGrant.AnyResource)],
            // The exporter's source (contrib internal/aws/cwlogs): PutLogEvents on its stream, which the guide creates.
            [CollectorConfig.EmfExporter] = scope =>
                [new(CollectorIam.PutLogEvents, scope.LogStreamArn(scope.Settings.MetricsLogGroup, scope.Settings.MetricsLogStream))],
        };

    /// <summary>What <paramref name="config"/>'s exporters need, in exporter order.</summary>
    public static IEnumerable<IamGrant> For(CollectorConfig config, AwsScope scope)
    {
        ArgumentNullException.ThrowIfNull(config);
        return For(config.Exporters, scope);
    }

    /// <summary>What <paramref name="exporters"/> need, in their order.</summary>
    public static IEnumerable<IamGrant> For(IEnumerable<string> exporters, AwsScope scope)
    {
        ArgumentNullException.ThrowIfNull(exporters);
        return exporters.SelectMany(exporter => ByExporter.TryGetValue(exporter, out var actions)
            ? actions(scope)
            : throw new InvalidOperationException($"The collector exporter {exporter} has no row in {nameof(AwsDocumentedActions)}.{nameof(ByExporter)}."));
    }

    /// <summary>The collector-less guide's three logs actions, each on the log group and on everything in it.</summary>
    public static IReadOnlyList<IamGrant> LogGroupActions(AwsScope scope, string group) =>
        [.. new[] { CollectorIam.PutLogEvents, DescribeLogGroups, DescribeLogStreams }
            .SelectMany(action => new[] { new IamGrant(action, scope.LogGroupArn(group)), new IamGrant(action, scope.LogGroupContentsArn(group)) })];
}
