namespace AppHost.Tests.StartupSummary;

public class StartupSummaryTests
{
    private static readonly Uri ApiUrl = new("http://localhost:5080");
    private static readonly Uri LoginUrl = new("http://localhost:15080/login?t=0123abcd");
    private static readonly CollectorStatus Skipped = CollectorStatus.Skipped(CollectorFallback.NoRuntimeMessage);
    private static readonly CollectorStatus Running = CollectorStatus.Added("Running", "http://localhost:4317");

    private static AwsConfig Aws(string? profile = null, string? region = null) => new(profile, region, "/nonexistent/.aws");

    private static IReadOnlyList<string> Lines(CollectorStatus collector, AwsConfig aws, Uri? loginUrl = null) =>
        Aspire.Hosting.StartupSummary.Lines("sampleapi", ApiUrl, loginUrl ?? LoginUrl, collector, aws);

    [Fact]
    public void Summary_offers_a_ready_curl_for_the_sample_and_the_dashboard_login_link()
    {
        var lines = Lines(Skipped, Aws());

        Assert.Equal("sampleapi is ready. Call it:", lines[0]);
        Assert.Equal("  curl 'http://localhost:5080/sample?delayScale=0'", lines[1]);
        Assert.Equal("Dashboard: http://localhost:15080/login?t=0123abcd", lines[2]);
        Assert.Contains("'sampleapi: GET /sample'", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_dashboard_the_summary_leaves_out_its_lines()
    {
        var lines = Aspire.Hosting.StartupSummary.Lines("sampleapi", ApiUrl, null, Skipped, Aws());

        Assert.DoesNotContain(lines, line => line.Contains("Dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public void A_skipped_collector_is_reported_with_the_reason_and_how_to_turn_it_on()
    {
        var lines = Lines(Skipped, Aws());

        Assert.Contains($"Collector: {CollectorFallback.NoRuntimeMessage}", lines);
    }

    [Fact]
    public void A_running_collector_is_reported_with_its_state_and_endpoint()
    {
        var lines = Lines(Running, Aws());

        Assert.Contains(
            "Collector: ADOT collector Running: projects send OTLP to it at http://localhost:4317, and it forwards to the dashboard.",
            lines);
    }

    [Fact]
    public void Without_a_region_aws_is_off_and_the_summary_names_the_command_that_turns_it_on()
    {
        var aws = Lines(Running, Aws()).Single(line => line.StartsWith("AWS:", StringComparison.Ordinal));

        Assert.StartsWith("AWS: off.", aws, StringComparison.Ordinal);
        Assert.EndsWith("dotnet user-secrets set AWS:Region eu-west-2 --project AppHost", aws, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev", "AWS: on through the collector, region eu-west-1, profile dev: traces to X-Ray, logs and metrics to CloudWatch.")]
    [InlineData(null, "AWS: on through the collector, region eu-west-1, the default profile: traces to X-Ray, logs and metrics to CloudWatch.")]
    public void With_a_region_and_the_collector_aws_is_on_through_the_collector_with_region_and_profile(string? profile, string expected)
    {
        Assert.Contains(expected, Lines(Running, Aws(profile, "eu-west-1")));
    }

    [Fact]
    public void With_a_region_but_no_collector_aws_is_on_straight_from_the_projects_and_names_the_log_group_to_create()
    {
        Assert.Contains(
            "AWS: on straight from the projects (no collector runs), region eu-west-1, profile dev: traces to X-Ray, " +
            "logs to CloudWatch Logs group /aspire-xray/logs stream otlp (both must exist), metrics to CloudWatch; the dashboard gets them too.",
            Lines(Skipped, Aws("dev", "eu-west-1")));
    }

    [Fact]
    public void The_dashboard_notification_names_the_same_route()
    {
        var notification = Aspire.Hosting.StartupSummary.Notification("sampleapi", ApiUrl, Skipped, Aws(region: "eu-west-1"));

        Assert.Contains("AWS: on straight from the projects (no collector runs), region eu-west-1", notification.Message, StringComparison.Ordinal);
    }
}
