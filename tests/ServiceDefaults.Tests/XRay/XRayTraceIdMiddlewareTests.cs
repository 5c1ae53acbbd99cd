using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.XRay;

/// <summary>The X-Amzn-Trace-Id response header on responses the app did not write normally.</summary>
[Collection(ProcessWideTracingState.Name)]
public sealed class XRayTraceIdMiddlewareTests : LoopbackApp
{
    private const string OwnValue = "Root=1-11111111-111111111111111111111111";

    protected override void Map(WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        }));
        app.MapGet("/throws", IResult () => throw new InvalidOperationException("boom"));
        app.MapGet("/own", (HttpResponse response) =>
        {
            response.Headers[XRayPropagator.HeaderName] = OwnValue;
            return "own";
        });
        app.MapDefaultEndpoints();
    }

    private static string ExpectedHeader(ActivityTraceId traceId) => $"Root={XRayTraceId.ToXRayFormat(traceId)}";

    private async Task<(HttpStatusCode Status, string Header, ActivityTraceId TraceId)> GetAsync(string path)
    {
        // The client's span is a child of this one, and its traceparent carries the trace to the server.
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(caller.TraceId.ToHexString(), Activity.Current?.TraceId.ToHexString());
        return (response.StatusCode, Assert.Single(response.Headers.GetValues(XRayPropagator.HeaderName)), caller.TraceId);
    }

    [Theory]
    [InlineData("/throws", HttpStatusCode.InternalServerError)]
    [InlineData("/missing", HttpStatusCode.NotFound)]
    [InlineData("/health", HttpStatusCode.OK)]
    public async Task Every_response_carries_the_x_ray_trace_id(string path, HttpStatusCode status)
    {
        var (actualStatus, header, traceId) = await GetAsync(path);

        Assert.Equal((status, ExpectedHeader(traceId)), (actualStatus, header));
    }

    [Fact]
    public async Task A_header_the_app_set_is_kept()
    {
        var (status, header, _) = await GetAsync("/own");

        Assert.Equal((HttpStatusCode.OK, OwnValue), (status, header));
    }
}
