using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace SampleApi.Tests;

/// <summary>X-Ray interop from ServiceDefaults, through the real ASP.NET Core pipeline.</summary>
public class XRayInteropTests : IClassFixture<SampleApiFactory>
{
    private const string NoDelay = "/sample?delayScale=0";
    private const string XRayHeader = "X-Amzn-Trace-Id";
    private const int SpansPerRequest = 4;

    private readonly SampleApiFactory _factory;

    public XRayInteropTests(SampleApiFactory factory) => _factory = factory;

    private static string XRayRoot(ActivityTraceId traceId) => $"1-{traceId.ToHexString()[..8]}-{traceId.ToHexString()[8..]}";

    private async Task<(SampleBody Body, HttpResponseMessage Response)> GetAsync(params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, NoDelay);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<SampleBody>())!, response);
    }

    private async Task<Activity> ServerSpanOfAsync(string traceId)
    {
        var spans = await _factory.WaitForSpansAsync(traceId, SpansPerRequest);
        return Assert.Single(spans, span => span.Kind == ActivityKind.Server);
    }

    [Fact]
    public async Task Root_only_header_continues_the_trace()
    {
        var traceId = ActivityTraceId.CreateRandom();

        var (body, response) = await GetAsync((XRayHeader, $"Root={XRayRoot(traceId)}"));

        Assert.Equal(traceId.ToHexString(), body.TraceId);
        Assert.Equal(XRayRoot(traceId), body.XrayTraceId);
        Assert.Equal($"Root={XRayRoot(traceId)}", Assert.Single(response.Headers.GetValues(XRayHeader)));
        var server = await ServerSpanOfAsync(body.TraceId);
        Assert.Equal(default, server.ParentSpanId);
        Assert.True(server.Recorded);
    }

    [Theory]
    [InlineData("?")]
    [InlineData(null)]
    public async Task Parent_without_a_decision_leaves_it_to_the_sampler_as_a_new_root(string? sampled)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var header = $"Root={XRayRoot(traceId)};Parent={ActivitySpanId.CreateRandom()}" + (sampled is null ? "" : $";Sampled={sampled}");

        var (body, _) = await GetAsync((XRayHeader, header));

        Assert.Equal(traceId.ToHexString(), body.TraceId);
        var server = await ServerSpanOfAsync(body.TraceId);
        Assert.Equal(default, server.ParentSpanId);
        Assert.True(server.Recorded); // the default root sampler records
    }

    [Fact]
    public async Task X_ray_parent_becomes_the_parent_of_the_only_server_span()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();

        var (body, _) = await GetAsync((XRayHeader, $"Parent={parent};Sampled=1;Root={XRayRoot(traceId)}"));

        Assert.Equal(traceId.ToHexString(), body.TraceId);
        var server = await ServerSpanOfAsync(body.TraceId);
        Assert.Equal(parent, server.ParentSpanId);
        Assert.True(server.HasRemoteParent);
        Assert.Equal("GET /sample", server.DisplayName);
    }

    [Fact]
    public async Task Sampled_0_continues_the_trace_without_recording_it()
    {
        var unsampled = ActivityTraceId.CreateRandom();

        var (body, response) = await GetAsync((XRayHeader, $"Root={XRayRoot(unsampled)};Parent={ActivitySpanId.CreateRandom()};Sampled=0"));
        // Spans export synchronously as they end: once a later request's spans are in, this one's would be too.
        var (later, _) = await GetAsync();
        await _factory.WaitForSpansAsync(later.TraceId, SpansPerRequest);

        Assert.Equal(unsampled.ToHexString(), body.TraceId);
        Assert.Equal($"Root={XRayRoot(unsampled)}", Assert.Single(response.Headers.GetValues(XRayHeader)));
        Assert.DoesNotContain(_factory.Spans, span => span.TraceId == unsampled);
    }

    [Fact]
    public async Task Valid_traceparent_wins_over_x_ray()
    {
        var w3c = ActivityTraceId.CreateRandom();
        var w3cParent = ActivitySpanId.CreateRandom();

        var (body, _) = await GetAsync(
            ("traceparent", $"00-{w3c}-{w3cParent}-01"),
            (XRayHeader, $"Root={XRayRoot(ActivityTraceId.CreateRandom())};Parent={ActivitySpanId.CreateRandom()};Sampled=1"));

        Assert.Equal(w3c.ToHexString(), body.TraceId);
        var server = await ServerSpanOfAsync(body.TraceId);
        Assert.Equal(w3cParent, server.ParentSpanId);
    }

    [Theory]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b71692033-01")]
    [InlineData("not a traceparent")]
    public async Task Invalid_traceparent_falls_back_to_x_ray(string traceParent)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();

        var (body, _) = await GetAsync(("traceparent", traceParent), (XRayHeader, $"Root={XRayRoot(traceId)};Parent={parent};Sampled=1"));

        Assert.Equal(traceId.ToHexString(), body.TraceId);
        Assert.Equal(parent, (await ServerSpanOfAsync(body.TraceId)).ParentSpanId);
    }

    [Fact]
    public async Task Malformed_header_starts_a_new_x_ray_shaped_trace()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (body, response) = await GetAsync((XRayHeader, "Root=1-5759e988-bd862e3fe1be46a99427279;Parent=zz"));

        Assert.InRange(Convert.ToInt64(body.TraceId[..8], 16), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal($"Root={body.XrayTraceId}", Assert.Single(response.Headers.GetValues(XRayHeader)));
    }

    [Fact]
    public async Task Logs_carry_the_x_ray_trace_id_beside_the_w3c_one()
    {
        var (body, _) = await GetAsync();
        await _factory.WaitForSpansAsync(body.TraceId, SpansPerRequest);

        var logs = _factory.Logs.Where(log => log.TraceId.ToHexString() == body.TraceId).ToList();
        Assert.Equal(3, logs.Count(log => log.Message?.EndsWith(" done.", StringComparison.Ordinal) == true));
        Assert.All(logs, log => Assert.Equal(body.XrayTraceId, log.Scopes["aws.xray.trace_id"]));
    }
}
