namespace EndToEnd.Tests;

/// <summary>
/// The whole local path: SampleApi → OTLP → the real Aspire dashboard, read back from its API.
/// Run once per way the AppHost can start here (see the classes at the end).
/// </summary>
public abstract class TelemetryPathTests(AppHostFixture fixture)
{
    private const string CollectorResource = "collector";
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] StepNames = ["sample1", "sample2", "sample3"];

    [Fact]
    public async Task Sample_trace_reaches_the_dashboard_as_a_server_span_and_three_nested_steps()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = await fixture.GetSampleAsync();

        var spans = await fixture.Dashboard.WaitForSpansAsync(body.TraceId, 4);

        Assert.Equal(4, spans.Count);
        Assert.All(spans, span => Assert.Equal(AppHostFixture.SampleApi, span.ServiceName));
        var server = Assert.Single(spans, span => span.Kind == DashboardSpan.ServerKind);
        Assert.Equal("GET /sample", server.Name);
        Assert.Equal("", server.ParentSpanId);
        var steps = StepNames
            .Select(name => Assert.Single(spans, span => span.Name == name))
            .ToList();
        Assert.Equal(server.SpanId, steps[0].ParentSpanId);
        Assert.Equal(steps[0].SpanId, steps[1].ParentSpanId);
        Assert.Equal(steps[1].SpanId, steps[2].ParentSpanId);
        Assert.Equal(body.Steps.Select(step => step.SpanId), steps.Select(span => span.SpanId));
        // X-Ray-compatible: the first 32 bits are the Unix second the trace began.
        Assert.InRange(Convert.ToInt64(body.TraceId[..8], 16), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Step_logs_reach_the_dashboard_correlated_with_their_spans()
    {
        var body = await fixture.GetSampleAsync();

        var logs = await fixture.Dashboard.WaitForLogsAsync(body.TraceId, 3);

        foreach (var step in body.Steps)
        {
            var log = Assert.Single(logs, log => log.Body == $"{step.Name} done.");
            Assert.Equal(step.SpanId, log.SpanId);
            Assert.Equal(AppHostFixture.SampleApi, log.ServiceName);
        }
    }

    /// <summary>
    /// SampleApi makes no outgoing calls, so a client span could only be one of its own OTLP deliveries.
    /// With the defect, the delivery of the first sample's spans becomes a span queued before the second
    /// sample's spans are: once those are in the dashboard, it would be too.
    /// </summary>
    [Fact]
    public async Task Traces_holds_only_the_applications_spans_never_its_deliveries_of_telemetry()
    {
        await fixture.Dashboard.WaitForSpansAsync((await fixture.GetSampleAsync()).TraceId, 4);
        await fixture.Dashboard.WaitForSpansAsync((await fixture.GetSampleAsync()).TraceId, 4);

        var spans = await fixture.Dashboard.AllSpansAsync();

        Assert.NotEmpty(spans);
        Assert.DoesNotContain(spans, span => span.Kind == DashboardSpan.ClientKind || span.Name == "POST");
    }

    [Fact]
    public void Without_the_collector_projects_export_straight_to_the_dashboard()
    {
        Assert.False(fixture.HasResource(CollectorResource));
        Assert.Equal(
            fixture.DashboardOtlpEndpoint.GetLeftPart(UriPartial.Authority),
            fixture.EnvironmentOf(AppHostFixture.SampleApi, OtlpEndpointVariable)?.TrimEnd('/'));
    }
}

[Collection(SharedAppHost.Name)]
public class AutoModeWithoutRuntimeTests(AutoModeWithoutRuntime fixture) : TelemetryPathTests(fixture);

public class CollectorOffTests(CollectorOff fixture) : TelemetryPathTests(fixture), IClassFixture<CollectorOff>;
