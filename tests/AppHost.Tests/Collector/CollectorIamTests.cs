namespace AppHost.Tests.Collector;

/// <summary>The collector's IAM policy is derived from its exporters, exactly.</summary>
public class CollectorIamTests
{
    private static readonly AwsScope Scope = new("123456789012", "us-west-2", AwsTelemetrySettings.Default);

    /// <summary>Every rendering the AppHost can make: each trace route, with and without the dashboard.</summary>
    public static TheoryData<string> Renderings => new(RenderingsByName.Keys);

    private static readonly Dictionary<string, Func<CollectorConfig>> RenderingsByName = new()
    {
        ["dashboard"] = () => Dashboard(),
        ["dashboard+aws(otlp)"] = () => Dashboard().WithAws("us-west-2", AwsTelemetrySettings.Default),
        ["dashboard+aws(xray)"] = () => Dashboard().WithAws("us-west-2", AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay }),
        ["aws(otlp)"] = () => new CollectorConfig().WithAws("us-west-2", AwsTelemetrySettings.Default),
        ["aws(xray)"] = () => new CollectorConfig().WithAws("us-west-2", AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay }),
        ["aws(emf)"] = () => new CollectorConfig().WithAws("us-west-2", AwsTelemetrySettings.Default with { MetricsExport = MetricsExport.Emf }),
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Every_exporter_of_every_rendering_has_a_row_in_the_table(string rendering)
    {
        foreach (var exporter in RenderingsByName[rendering]().Exporters)
        {
            Assert.True(CollectorIam.ExporterGrants.ContainsKey(exporter), $"{exporter} ({rendering}) has no IAM row.");
        }
    }

    [Fact]
    public void Every_row_of_the_table_belongs_to_an_exporter_some_rendering_uses()
    {
        var used = RenderingsByName.Values.SelectMany(render => render().Exporters).ToHashSet();

        Assert.Equal(used.Order(), CollectorIam.ExporterGrants.Keys.Order());
    }

    [Fact]
    public void The_default_route_needs_the_xray_span_actions_the_logs_actions_on_its_log_group_and_put_metric_data()
    {
        var policy = CollectorIam.PolicyFor(RenderingsByName["aws(otlp)"](), Scope);

        Assert.Equal(
            [
                "cloudwatch:PutMetricData,xray:PutSpans,xray:PutSpansForIndexing,xray:PutTraceSegments on *",
                "logs:DescribeLogGroups,logs:DescribeLogStreams,logs:PutLogEvents on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs, " +
                "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*",
            ],
            Describe(policy));
    }

    [Fact]
    public void The_emf_route_needs_put_log_events_on_the_metrics_stream_instead_of_put_metric_data()
    {
        Assert.Equal(
            [
                "logs:DescribeLogGroups,logs:DescribeLogStreams on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs, " +
                "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*",
                "logs:PutLogEvents on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs, " +
                "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*, " +
                "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/metrics:log-stream:emf",
                "xray:PutSpans,xray:PutSpansForIndexing,xray:PutTraceSegments on *",
            ],
            Describe(CollectorIam.PolicyFor(RenderingsByName["aws(emf)"](), Scope)));
    }

    [Fact]
    public void The_awsxray_route_needs_put_trace_segments_but_no_span_actions()
    {
        Assert.Equal(
            [
                "cloudwatch:PutMetricData,xray:PutTraceSegments on *",
                "logs:DescribeLogGroups,logs:DescribeLogStreams,logs:PutLogEvents on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs, " +
                "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*",
            ],
            Describe(CollectorIam.PolicyFor(RenderingsByName["aws(xray)"](), Scope)));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void No_policy_grants_a_wildcard_action_or_any_resource_but_to_xray_and_put_metric_data(string rendering)
    {
        var policy = CollectorIam.PolicyFor(RenderingsByName[rendering](), Scope);

        foreach (var statement in policy.Statement)
        {
            Assert.Equal("Allow", statement.Effect);
            Assert.DoesNotContain(statement.Action, action => action.Contains('*', StringComparison.Ordinal));
            // X-Ray has no resource-level permissions for its span actions, and OTLP metrics ingest is granted
            // on any resource (a namespace condition would deny it); every other action is scoped.
            Assert.True(
                statement.Action.All(action => action.StartsWith("xray:", StringComparison.Ordinal) || action == CollectorIam.PutMetricData)
                || !statement.Resource.Contains("*"));
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void The_policy_grants_every_action_AWS_documents_for_each_endpoint(string rendering)
    {
        var config = RenderingsByName[rendering]();
        var policy = CollectorIam.PolicyFor(config, Scope);

        Assert.All(AwsDocumentedActions.For(config, Scope), documented => Assert.Contains(
            policy.Statement,
            statement => statement.Action.Contains(documented.Action) && statement.Resource.Contains(documented.Resource)));
    }

    [Fact]
    public void Every_exporter_the_policy_knows_has_its_documented_actions_too()
    {
        Assert.Equal(CollectorIam.ExporterGrants.Keys.Order(), AwsDocumentedActions.ByExporter.Keys.Order());
    }

    [Fact]
    public void The_dashboard_alone_needs_no_permission()
    {
        Assert.Empty(CollectorIam.PolicyFor(RenderingsByName["dashboard"](), Scope).Statement);
    }

    [Fact]
    public void Arns_use_the_partition_of_the_region()
    {
        var policy = CollectorIam.PolicyFor(RenderingsByName["aws(otlp)"](), Scope with { Region = "cn-north-1" });

        Assert.All(policy.Statement.SelectMany(statement => statement.Resource).Where(resource => resource != "*"),
            resource => Assert.StartsWith("arn:aws-cn:logs:cn-north-1:", resource, StringComparison.Ordinal));
    }

    private static CollectorConfig Dashboard() => new CollectorConfig().WithDashboardExporter("http://dashboard:4317", apiKey: null, insecure: true);

    private static IEnumerable<string> Describe(IamPolicyDocument policy) =>
        policy.Statement.Select(statement => $"{string.Join(",", statement.Action)} on {string.Join(", ", statement.Resource)}");
}
