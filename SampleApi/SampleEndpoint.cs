using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;

namespace SampleApi;

/// <summary>Maps <c>GET /sample</c>.</summary>
internal static class SampleEndpoint
{
    public const string Path = "/sample";

    /// <summary>Query parameter that scales every configured delay, from 0 (no waiting) to 1.</summary>
    public const string DelayScaleParameter = "delayScale";

    public static IEndpointRouteBuilder MapSampleEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, SampleWorkflow workflow)
    {
        if (!TryReadDelayScale(context.Request.Query[DelayScaleParameter], out var delayScale))
        {
            return TypedResults.Problem(
                detail: $"Query parameter '{DelayScaleParameter}' must be a number from 0 to 1.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var steps = await workflow.RunAsync(delayScale, context.RequestAborted);
        var traceId = Activity.Current?.TraceId;
        return TypedResults.Ok(new SampleResponse(
            traceId?.ToHexString(),
            traceId is { } id ? XRayTraceId.ToXRayFormat(id) : null,
            steps));
    }

    private static bool TryReadDelayScale(string? value, out double scale)
    {
        if (string.IsNullOrEmpty(value))
        {
            scale = 1;
            return true;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out scale)
            && scale is >= 0 and <= 1;
    }
}

/// <summary>Body of <c>GET /sample</c>.</summary>
/// <param name="TraceId">W3C trace id of the request.</param>
/// <param name="XRayTraceId">The same id as X-Ray shows it.</param>
/// <param name="Steps">sample1, sample2 and sample3 in call order.</param>
internal sealed record SampleResponse(
    string? TraceId,
    [property: JsonPropertyName("xrayTraceId")] string? XRayTraceId,
    IReadOnlyList<StepResult> Steps);
