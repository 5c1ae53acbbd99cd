using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Lets ASP.NET Core hosting (which creates the request activity) and the runtime's HttpClient
/// handler use the same OpenTelemetry propagators as the instrumentation, so the request activity
/// gets the right parent from the start instead of the instrumentation starting a sibling.
/// </summary>
/// <remarks>
/// Delegates to <see cref="Propagators.DefaultTextMapPropagator"/>, read at call time. An extracted
/// context with a trace id but no span id (an X-Ray <c>Root</c>-only header) is handed to
/// <see cref="XRayRootContinuation"/> so the request activity becomes a root with that trace id.
/// </remarks>
/// <param name="propagator">The propagator to use; <see cref="Propagators.DefaultTextMapPropagator"/> when null.</param>
internal sealed class OpenTelemetryDistributedContextPropagator(TextMapPropagator? propagator = null)
    : DistributedContextPropagator
{
    private const string W3CVersion = "00";
    private const string SampledFlags = "01";
    private const string NotSampledFlags = "00";

    private TextMapPropagator Propagator => propagator ?? Propagators.DefaultTextMapPropagator;

    /// <inheritdoc />
    public override IReadOnlyCollection<string> Fields => Propagator.Fields?.ToArray() ?? [];

    /// <inheritdoc />
    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (activity is null || carrier is null || setter is null)
        {
            return;
        }

        Propagator.Inject(
            new PropagationContext(activity.Context, Baggage.Current),
            carrier,
            (target, name, value) => setter(target, name, value));
    }

    /// <inheritdoc />
    public override void ExtractTraceIdAndState(
        object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
        XRayRootContinuation.Clear();
        if (carrier is null || getter is null)
        {
            return;
        }

        var context = Extract(carrier, getter).ActivityContext;
        if (XRayPropagator.IsValid(context))
        {
            // Hosting parses this back with ActivityContext.TryParse.
            var flags = context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? SampledFlags : NotSampledFlags;
            traceId = $"{W3CVersion}-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}";
            traceState = context.TraceState;
        }
        else if (XRayPropagator.IsRootContinuation(context))
        {
            XRayRootContinuation.Set(context.TraceId);
        }
    }

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(
        object? carrier, PropagatorGetterCallback? getter)
    {
        if (carrier is null || getter is null)
        {
            return null;
        }

        var baggage = Extract(carrier, getter).Baggage;
        return baggage.Count == 0
            ? null
            : baggage.GetBaggage().Select(item => new KeyValuePair<string, string?>(item.Key, item.Value)).ToArray();
    }

    private PropagationContext Extract(object carrier, PropagatorGetterCallback getter) =>
        Propagator.Extract(default, carrier, (source, name) =>
        {
            getter(source, name, out var value, out var values);
            return values ?? (value is null ? [] : [value]);
        });
}
