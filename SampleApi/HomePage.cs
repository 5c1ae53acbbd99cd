namespace SampleApi;

/// <summary>
/// Maps <c>GET /</c>: a short page of links to what this API serves, so the address the dashboard
/// and the launch profile open is no dead end. It names the endpoints; it serves no data itself.
/// </summary>
internal static class HomePage
{
    public const string Path = "/";

    public const string NoWaitSamplePath = $"{SampleEndpoint.Path}?{SampleEndpoint.DelayScaleParameter}=0";

    private const string Html = $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>SampleApi</title></head>
        <body>
        <h1>SampleApi</h1>
        <p>Each call to /sample is one trace: the server span with sample1, sample2 and sample3 nested inside it.
        Find it on the Aspire dashboard's Traces page (or in X-Ray, under the response's xrayTraceId).</p>
        <ul>
        <li><a href="{SampleEndpoint.Path}">GET {SampleEndpoint.Path}</a>: the three steps with their configured delays (1 s, 2 s, 3 s by default)</li>
        <li><a href="{NoWaitSamplePath}">GET {NoWaitSamplePath}</a>: the same spans, without waiting</li>
        <li><a href="{ServiceDefaultsExtensions.HealthEndpointPath}">GET {ServiceDefaultsExtensions.HealthEndpointPath}</a>: readiness</li>
        <li><a href="{ServiceDefaultsExtensions.AlivenessEndpointPath}">GET {ServiceDefaultsExtensions.AlivenessEndpointPath}</a>: liveness</li>
        </ul>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, () => TypedResults.Content(Html, "text/html; charset=utf-8"));
        return endpoints;
    }
}
