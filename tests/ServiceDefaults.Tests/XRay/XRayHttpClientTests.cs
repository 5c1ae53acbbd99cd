using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.XRay;

/// <summary>
/// Outgoing calls through a real socket, so the runtime's handler and the OpenTelemetry HttpClient
/// instrumentation both inject, as in production. The server echoes the headers it received.
/// </summary>
[Collection(ProcessWideTracingState.Name)]
public sealed class XRayHttpClientTests : LoopbackApp
{
    private const string EchoPath = "/echo";

    private Uri Echo => new(BaseAddress, EchoPath);

    protected override void Map(WebApplication app) =>
        app.MapGet(EchoPath, (HttpRequest request) => new Dictionary<string, string?[]>
        {
            [XRayPropagator.HeaderName] = request.Headers[XRayPropagator.HeaderName].ToArray(),
            ["traceparent"] = request.Headers["traceparent"].ToArray(),
        });

    private async Task<Dictionary<string, string[]>> SendAsync(HttpRequestMessage request)
    {
        var client = App.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string[]>>())!;
    }

    [Theory]
    [InlineData(ActivityTraceFlags.Recorded, "1")]
    [InlineData(ActivityTraceFlags.None, "0")]
    public async Task Outgoing_call_carries_root_parent_and_decision_matching_traceparent(ActivityTraceFlags flags, string sampled)
    {
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C);
        caller.ActivityTraceFlags = flags;
        caller.Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, Echo);

        var received = await SendAsync(request);

        var traceParent = Assert.Single(received["traceparent"]).Split('-');
        var xray = Assert.Single(received[XRayPropagator.HeaderName]);
        Assert.Equal(caller.TraceId.ToHexString(), traceParent[1]);
        Assert.Equal($"Root={XRayTraceId.ToXRayFormat(caller.TraceId)};Parent={traceParent[2]};Sampled={sampled}", xray);
    }

    [Fact]
    public async Task Outgoing_call_keeps_an_x_ray_header_the_caller_set()
    {
        const string CallersValue = "Root=1-11111111-111111111111111111111111;Parent=1111111111111111;Sampled=1";
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, Echo);
        request.Headers.Add(XRayPropagator.HeaderName, CallersValue);

        var received = await SendAsync(request);

        Assert.Equal([CallersValue], received[XRayPropagator.HeaderName]);
    }
}
