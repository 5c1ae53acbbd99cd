using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace SampleApi.Tests;

public class SampleEndpointTests : IClassFixture<SampleApiFactory>
{
    private const string NoDelay = "/sample?delayScale=0";

    private readonly SampleApiFactory _factory;

    public SampleEndpointTests(SampleApiFactory factory) => _factory = factory;

    private async Task<SampleBody> GetSampleAsync(string path = NoDelay)
    {
        var body = await _factory.CreateClient().GetFromJsonAsync<SampleBody>(path);
        return body!;
    }

    [Fact]
    public async Task Sample_creates_a_server_span_and_three_nested_steps()
    {
        var body = await GetSampleAsync();

        var spans = await _factory.WaitForSpansAsync(body.TraceId, 4);

        Assert.Equal(4, spans.Count);
        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server);
        Assert.Equal("GET /sample", server.DisplayName);
        Assert.Equal(default, server.ParentSpanId);
        var sample1 = Assert.Single(spans, span => span.DisplayName == "sample1");
        var sample2 = Assert.Single(spans, span => span.DisplayName == "sample2");
        var sample3 = Assert.Single(spans, span => span.DisplayName == "sample3");
        Assert.Equal(server.SpanId, sample1.ParentSpanId);
        Assert.Equal(sample1.SpanId, sample2.ParentSpanId);
        Assert.Equal(sample2.SpanId, sample3.ParentSpanId);
        Assert.All([sample1, sample2, sample3], step => Assert.Equal("SampleApi", step.Source.Name));
    }

    [Fact]
    public async Task Response_reports_the_recorded_trace_and_span_ids()
    {
        var body = await GetSampleAsync();

        var spans = await _factory.WaitForSpansAsync(body.TraceId, 4);

        Assert.Equal($"1-{body.TraceId[..8]}-{body.TraceId[8..]}", body.XrayTraceId);
        Assert.Equal(["sample1", "sample2", "sample3"], body.Steps.Select(step => step.Name));
        foreach (var step in body.Steps)
        {
            var span = Assert.Single(spans, span => span.DisplayName == step.Name);
            Assert.Equal(span.SpanId.ToHexString(), step.SpanId);
        }
    }

    [Fact]
    public async Task Root_trace_id_is_x_ray_compatible()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = await GetSampleAsync();
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Matches("^[0-9a-f]{32}$", body.TraceId);
        Assert.InRange(Convert.ToInt64(body.TraceId[..8], 16), before, after);
    }

    [Fact]
    public async Task Each_step_logs_done_inside_its_own_span()
    {
        var body = await GetSampleAsync();
        await _factory.WaitForSpansAsync(body.TraceId, 4);

        foreach (var step in body.Steps)
        {
            var log = Assert.Single(_factory.Logs, log => log.TraceId.ToHexString() == body.TraceId
                && log.Message == $"{step.Name} done.");
            Assert.Equal(step.SpanId, log.SpanId.ToHexString());
        }
    }

    [Fact]
    public async Task Log_records_carry_the_trace_context_natively_not_again_as_scope_attributes()
    {
        var body = await GetSampleAsync();
        await _factory.WaitForSpansAsync(body.TraceId, 4);

        var logs = _factory.Logs.Where(log => log.TraceId.ToHexString() == body.TraceId).ToList();
        Assert.NotEmpty(logs);
        Assert.All(logs, log => Assert.DoesNotContain(log.Scopes.Keys, key => key is "TraceId" or "SpanId" or "ParentId"));
    }

    [Fact]
    public async Task Delay_scale_zero_skips_every_configured_delay()
    {
        var body = await GetSampleAsync();

        Assert.All(body.Steps, step => Assert.Equal(0, step.DelayMs));
        // The configured delays are 1, 2 and 3 s: a step that had slept would take at least that.
        Assert.All(body.Steps, step => Assert.InRange(step.DurationMs, 0, 999));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-0.5")]
    [InlineData("1.5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public async Task Delay_scale_out_of_range_is_a_clear_bad_request(string delayScale)
    {
        var response = await _factory.CreateClient().GetAsync($"/sample?delayScale={delayScale}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'delayScale' must be a number from 0 to 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
