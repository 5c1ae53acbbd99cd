using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>What the dashboard's Resources page offers on the API: links to the sample and a command that calls it.</summary>
public static class SampleApiDashboardExtensions
{
    /// <summary>The name of the command that calls the sample (<c>aspire resource sampleapi call-sample</c>).</summary>
    public const string CallSampleCommand = "call-sample";

    /// <summary>The command's label on the dashboard.</summary>
    public const string CallSampleDisplayName = "Call /sample";

    /// <summary>The command's description: the tooltip (and accessible name) of its button in the Resources row.</summary>
    public const string CallSampleDescription = "Call /sample: one GET /sample, answered with where its trace is.";

    /// <summary>The labels of the API's links on the Resources page.</summary>
    public const string SampleLinkText = "GET /sample";

    /// <inheritdoc cref="SampleLinkText"/>
    public const string SampleWithoutDelaysLinkText = "GET /sample, no wait";

    /// <inheritdoc cref="SampleLinkText"/>
    public const string HomeLinkText = "API home";

    private const string HttpEndpoint = "http";

    // The command's own client: it sends no trace headers, so the API starts the trace as it does for a
    // curl, with an id whose first eight hex digits are the time (the form X-Ray expects).
    private const string CallSampleClient = "call-sample";

    /// <summary>
    /// Links the API's entry to <c>GET /sample</c> and its no-wait form instead of only to its
    /// root; the root (a page of links) stays in the resource's details under a readable name.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <returns>The API's resource builder.</returns>
    public static IResourceBuilder<ProjectResource> WithSampleLinks(this IResourceBuilder<ProjectResource> api)
    {
        ArgumentNullException.ThrowIfNull(api);

        return api
            .WithUrlForEndpoint(HttpEndpoint, url =>
            {
                url.DisplayText = HomeLinkText;
                url.DisplayLocation = UrlDisplayLocation.DetailsOnly;
            })
            .WithUrlForEndpoint(HttpEndpoint, endpoint => new ResourceUrlAnnotation
            {
                Url = endpoint.Url + SampleRequests.Sample,
                DisplayText = SampleLinkText,
            })
            .WithUrlForEndpoint(HttpEndpoint, endpoint => new ResourceUrlAnnotation
            {
                Url = endpoint.Url + SampleRequests.SampleWithoutDelays,
                DisplayText = SampleWithoutDelaysLinkText,
            });
    }

    /// <summary>
    /// Adds the "Call /sample" command: one <c>GET /sample</c> from the dashboard (or <c>aspire resource</c>),
    /// answered with the trace's id and where the dashboard shows it.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <returns>The API's resource builder.</returns>
    public static IResourceBuilder<ProjectResource> WithCallSampleCommand(this IResourceBuilder<ProjectResource> api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.ApplicationBuilder.Services.AddHttpClient(CallSampleClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null });
        var apiName = api.Resource.Name;
        return api.WithHttpCommand(
            SampleRequests.Sample,
            CallSampleDisplayName,
            HttpEndpoint,
            CallSampleCommand,
            new HttpCommandOptions
            {
                Method = HttpMethod.Get,
                HttpClientName = CallSampleClient,
                Description = CallSampleDescription,
                IconName = "Play",
                // A button in the Resources row, not an entry in its menu: the first thing to try.
                IsHighlighted = true,
                GetCommandResult = context => ReportTraceAsync(context, apiName),
            });
    }

    private static async Task<ExecuteCommandResult> ReportTraceAsync(HttpCommandResultContext context, string apiName)
    {
        if (!context.Response.IsSuccessStatusCode)
        {
            return CommandResults.Failure($"GET {SampleRequests.Sample} answered {(int)context.Response.StatusCode} {context.Response.ReasonPhrase}.");
        }

        var body = await context.Response.Content.ReadFromJsonAsync<SampleBody>(context.CancellationToken);
        if (body?.TraceId is not { Length: > 0 } traceId)
        {
            return CommandResults.Failure($"GET {SampleRequests.Sample} answered without a trace id: is the API exporting traces?");
        }

        var dashboard = DashboardAddress.Find(context.Services.GetRequiredService<DistributedApplicationModel>());
        var where = dashboard is null ? "" : $" ({DashboardAddress.TraceUrl(dashboard, traceId)})";
        var message = $"Trace {traceId} (X-Ray {body.XRayTraceId}): Traces shows it as '{SampleRequests.TraceName(apiName)}'{where}.";
        // The message is what the dashboard's toast shows; the same text as result data is what `aspire resource` prints.
        return CommandResults.Success(message, message, CommandResultFormat.Text);
    }

    /// <summary>The part of the <c>/sample</c> response the command reports.</summary>
    private sealed record SampleBody(string? TraceId, string? XRayTraceId);
}
