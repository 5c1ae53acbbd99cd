using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Carries a trace id that the next root activity on this async flow must use: how a header with
/// <c>Root</c> but no <c>Parent</c> continues its trace. An activity needs a parent span id to
/// have a remote parent, and a made-up one would point X-Ray at a segment that never existed, so
/// the request span becomes a local root that keeps the incoming trace id instead.
/// </summary>
/// <remarks>
/// Set just before ASP.NET Core creates the request activity and consumed by
/// <see cref="Activity.TraceIdGenerator"/> (installed by <see cref="XRayTraceId.UseForRootActivities"/>)
/// when that activity is created, all on one synchronous call path.
/// </remarks>
internal static class XRayRootContinuation
{
    private static readonly AsyncLocal<ActivityTraceId?> Pending = new();

    /// <summary>Makes the next root activity on this flow use <paramref name="traceId"/>.</summary>
    public static void Set(ActivityTraceId traceId) => Pending.Value = traceId;

    /// <summary>Drops a pending id that was not consumed.</summary>
    public static void Clear()
    {
        // Writing only when needed avoids copying the execution context on every request.
        if (Pending.Value is not null)
        {
            Pending.Value = null;
        }
    }

    /// <summary>Takes the pending id, if any; it is used once.</summary>
    public static bool TryTake(out ActivityTraceId traceId)
    {
        if (Pending.Value is { } pending)
        {
            Pending.Value = null;
            traceId = pending;
            return true;
        }

        traceId = default;
        return false;
    }
}
