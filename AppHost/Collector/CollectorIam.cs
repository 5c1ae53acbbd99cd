namespace Aspire.Hosting;

/// <summary>
/// The IAM actions each exporter of <see cref="CollectorConfig"/> is granted, and the resources they are
/// scoped to: the one table the collector's policy is derived from. Sources for every action are in
/// docs/collector.md (AWS Service Authorization Reference, CloudWatch and X-Ray guides, exporter source);
/// <see cref="AwsDocumentedActions"/> holds what AWS documents, which a test checks this table covers.
/// </summary>
internal static class CollectorIam
{
    public const string PutTraceSegments = "xray:PutTraceSegments";
    public const string PutSpans = "xray:PutSpans";
    public const string PutSpansForIndexing = "xray:PutSpansForIndexing";
    public const string PutLogEvents = "logs:PutLogEvents";
    public const string PutMetricData = "cloudwatch:PutMetricData";

    /// <summary>Exporter id → what it needs in <see cref="AwsScope"/>.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AwsScope, IReadOnlyList<IamGrant>>> ExporterGrants =
        new Dictionary<string, Func<AwsScope, IReadOnlyList<IamGrant>>>(StringComparer.Ordinal)
        {
            // Local only: the dashboard is no AWS service.
            [CollectorConfig.DashboardExporter] = _ => [],
            // The Service Authorization Reference names PutSpans (OpenTelemetry spans) and PutSpansForIndexing
            // (Transaction Search indexing) for the OTLP endpoint; X-Ray's guide says the endpoint is authorized
            // as PutTraceSegments. All three; none takes a resource-level permission.
            [CollectorConfig.XRayOtlpExporter] = _ =>
            [
                new(PutSpans, IamGrant.AnyResource),
                new(PutSpansForIndexing, IamGrant.AnyResource),
                new(PutTraceSegments, IamGrant.AnyResource),
            ],
            // PutTraceSegments only: the exporter's own telemetry (PutTelemetryRecords) is off by default.
            [CollectorConfig.XRayExporter] = _ => [new(PutTraceSegments, IamGrant.AnyResource)],
            // The OTLP logs endpoint writes to an existing group and stream (nothing is created): AWS's documented
            // set (PutLogEvents, DescribeLogGroups, DescribeLogStreams), scoped to our log group.
            [CollectorConfig.CloudWatchLogsExporter] = scope => AwsDocumentedActions.LogGroupActions(scope, scope.Settings.LogGroup),
            // CloudWatch's "Controlling OTLP ingest" policy: PutMetricData on any resource. A cloudwatch:namespace
            // condition would deny OTLP ingest, so there is none.
            [CollectorConfig.CloudWatchMetricsExporter] = _ => [new(PutMetricData, IamGrant.AnyResource)],
            // awsemf creates its group and stream only when PutLogEvents finds them missing; the guide creates them.
            [CollectorConfig.EmfExporter] = scope => [new(PutLogEvents, scope.LogStreamArn(scope.Settings.MetricsLogGroup, scope.Settings.MetricsLogStream))],
        };

    /// <summary>Exactly the union of what every exporter of <paramref name="config"/> needs.</summary>
    /// <exception cref="InvalidOperationException">An exporter has no row in <see cref="ExporterGrants"/>.</exception>
    public static IamPolicyDocument PolicyFor(CollectorConfig config, AwsScope scope)
    {
        ArgumentNullException.ThrowIfNull(config);
        return PolicyFor(config.Exporters, scope);
    }

    /// <summary>
    /// Exactly the union of what <paramref name="exporters"/> need: also the policy of a service that sends to
    /// the same AWS endpoints itself (the direct EKS route), named by the exporter that would send there.
    /// </summary>
    /// <exception cref="InvalidOperationException">An exporter has no row in <see cref="ExporterGrants"/>.</exception>
    public static IamPolicyDocument PolicyFor(IEnumerable<string> exporters, AwsScope scope)
    {
        ArgumentNullException.ThrowIfNull(exporters);
        ArgumentNullException.ThrowIfNull(scope);

        var grants = exporters.SelectMany(exporter => ExporterGrants.TryGetValue(exporter, out var grant)
            ? grant(scope)
            : throw new InvalidOperationException($"The collector exporter {exporter} has no row in {nameof(CollectorIam)}.{nameof(ExporterGrants)}."));
        // One statement per distinct resource set, its actions sorted: the smallest document that says exactly this.
        var resourcesByAction = grants
            .GroupBy(grant => grant.Action, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(grant => grant.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        return new IamPolicyDocument
        {
            Statement = resourcesByAction
                .GroupBy(entry => string.Join('\n', entry.Value), StringComparer.Ordinal)
                .Select(group => new IamStatement
                {
                    Action = group.Select(entry => entry.Key).Order(StringComparer.Ordinal).ToList(),
                    Resource = group.First().Value,
                })
                .OrderBy(statement => statement.Action[0], StringComparer.Ordinal)
                .ToList(),
        };
    }
}

/// <summary>One action on one resource (an ARN, or <c>*</c> where the service has no resource-level permissions).</summary>
internal sealed record IamGrant(string Action, string Resource)
{
    public const string AnyResource = "*";
}

/// <summary>Where the collector writes: the account and region the ARNs name, and the telemetry settings.</summary>
internal sealed record AwsScope(string AccountId, string Region, AwsTelemetrySettings Settings)
{
    /// <summary>A CloudWatch Logs stream's ARN, the resource PutLogEvents is scoped to.</summary>
    public string LogStreamArn(string group, string stream) => $"{LogGroupArn(group)}:log-stream:{stream}";

    /// <summary>A CloudWatch Logs group's ARN (resource type <c>log-group</c>).</summary>
    public string LogGroupArn(string group) => $"arn:{AwsRegion.Partition(Region)}:logs:{Region}:{AccountId}:log-group:{group}";

    /// <summary>Everything in a log group: its streams, and the <c>:*</c> form DescribeLogGroups reports a group's ARN in.</summary>
    public string LogGroupContentsArn(string group) => $"{LogGroupArn(group)}:*";
}
