using System.Diagnostics;
using OpenTelemetry.Context.Propagation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Propagates trace context in the AWS X-Ray header <c>X-Amzn-Trace-Id</c>
/// (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1|?}</c>).
/// </summary>
/// <remarks>
/// <para>Extract never throws: a malformed header is reported on the <c>ServiceDefaults-XRay</c>
/// EventSource and the incoming context is returned unchanged, so a new trace starts.</para>
/// <para>Precedence: when an earlier propagator in the composite already produced a valid context
/// (with the default order, a valid W3C <c>traceparent</c>), this one leaves it alone.</para>
/// <para>A header with <c>Parent</c> and <c>Sampled=0|1</c> becomes a remote parent. A header
/// without <c>Parent</c> (what a load balancer sends), or with <c>Sampled=?</c> or no
/// <c>Sampled</c>, carries no usable parent or no decision: the result then holds the trace id
/// with a default span id. That context is not valid, so nothing treats it as a parent;
/// ServiceDefaults turns it into a new local root with that trace id, and the root sampler decides.</para>
/// <para>Inject writes <c>Root=…;Parent=…;Sampled=0|1</c> unless the carrier (an
/// <see cref="HttpRequestMessage"/> or a string dictionary) already has the header.</para>
/// </remarks>
public sealed class XRayPropagator : TextMapPropagator
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "X-Amzn-Trace-Id";

    private static readonly HashSet<string> HeaderFields = [HeaderName];

    /// <inheritdoc />
    public override ISet<string> Fields => HeaderFields;

    /// <inheritdoc />
    public override PropagationContext Extract<T>(
        PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        if (IsValid(context.ActivityContext) || carrier is null || getter is null)
        {
            return context;
        }

        var values = getter(carrier, HeaderName);
        if (values is null || !TrySingle(values, out var value))
        {
            return context;
        }

        if (!XRayTraceHeader.TryParse(value, out var header))
        {
            XRayEventSource.Log.MalformedHeader(value?.Length ?? 0);
            return context;
        }

        var decided = header.Sampling != XRaySampling.Undecided;
        var activityContext = header.HasParent && decided
            ? new ActivityContext(
                header.TraceId,
                header.ParentId,
                header.Sampling == XRaySampling.Sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
                isRemote: true)
            : new ActivityContext(header.TraceId, default, ActivityTraceFlags.None, isRemote: true);
        return new PropagationContext(activityContext, context.Baggage);
    }

    /// <inheritdoc />
    public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
        if (!IsValid(context.ActivityContext) || carrier is null || setter is null || AlreadyHasHeader(carrier))
        {
            return;
        }

        var sampled = context.ActivityContext.TraceFlags.HasFlag(ActivityTraceFlags.Recorded);
        setter(carrier, HeaderName, XRayTraceHeader.Format(context.ActivityContext.TraceId, context.ActivityContext.SpanId, sampled));
    }

    /// <summary>True when the context can be a parent: both ids set, as OpenTelemetry requires.</summary>
    internal static bool IsValid(ActivityContext context) =>
        context.TraceId != default && context.SpanId != default;

    /// <summary>True when the extracted context names a trace to continue but no parent to attach to.</summary>
    internal static bool IsRootContinuation(ActivityContext context) =>
        context.TraceId != default && context.SpanId == default;

    // The HttpClient instrumentation's setter removes before adding, so the check must happen here.
    private static bool AlreadyHasHeader<T>(T carrier) => carrier switch
    {
        HttpRequestMessage request => request.Headers.Contains(HeaderName),
        IDictionary<string, string> dictionary => dictionary.ContainsKey(HeaderName),
        _ => false,
    };

    private static bool TrySingle(IEnumerable<string> values, out string? value)
    {
        // Two X-Ray headers are ambiguous; ignoring both is safer than guessing.
        value = null;
        var count = 0;
        foreach (var item in values)
        {
            value = item;
            if (++count > 1)
            {
                return false;
            }
        }

        return count == 1;
    }
}
