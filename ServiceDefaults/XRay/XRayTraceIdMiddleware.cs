using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Puts the request's trace id in X-Ray form where people look for it: a log scope
/// (<c>aws.xray.trace_id</c>) on every log written while handling the request, and the response
/// header <c>X-Amzn-Trace-Id: Root=1-…</c>.
/// </summary>
internal sealed class XRayTraceIdMiddleware(RequestDelegate next, ILogger<XRayTraceIdMiddleware> logger)
{
    /// <summary>Log attribute holding the X-Ray form of the trace id.</summary>
    public const string LogAttributeName = "aws.xray.trace_id";

    public async Task InvokeAsync(HttpContext context)
    {
        if (Activity.Current is not { } activity)
        {
            await next(context);
            return;
        }

        var xrayTraceId = XRayTraceId.ToXRayFormat(activity.TraceId);

        // OnStarting runs after error handlers may have cleared the headers, so every response gets it.
        context.Response.OnStarting(static state =>
        {
            var (response, value) = ((HttpResponse, string))state;
            response.Headers.TryAdd(XRayPropagator.HeaderName, $"{XRayTraceHeader.RootKey}={value}");
            return Task.CompletedTask;
        }, (context.Response, xrayTraceId));

        using (logger.BeginScope(new Scope(xrayTraceId)))
        {
            await next(context);
        }
    }

    /// <summary>Scope state as a single key/value pair, which OpenTelemetry exports as an attribute.</summary>
    private sealed class Scope(string xrayTraceId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => index == 0
            ? new(LogAttributeName, xrayTraceId)
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{LogAttributeName}:{xrayTraceId}";
    }
}
