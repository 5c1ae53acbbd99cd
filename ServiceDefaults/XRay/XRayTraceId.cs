using System.Buffers.Binary;
using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Trace ids in the classic AWS X-Ray shape: the first 32 bits are the Unix time in seconds at
/// creation, the remaining 96 bits are random. X-Ray also accepts fully random W3C ids, but this
/// shape is accepted everywhere and sorts by time in the console.
/// </summary>
public static class XRayTraceId
{
    private const int TimestampBytes = 4;
    private const string Version = "1";

    /// <summary>Creates a new root trace id whose timestamp prefix is taken from <paramref name="timeProvider"/>.</summary>
    public static ActivityTraceId Create(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)timeProvider.GetUtcNow().ToUnixTimeSeconds());
        // Unpredictable enough for an id, as the runtime's own ActivityTraceId.CreateRandom is: a trace id
        // is no secret. The cryptographic generator cost about 8,000 instructions per root span, 4% of
        // a traced request (docs/benchmarks/README.md).
        Random.Shared.NextBytes(bytes[TimestampBytes..]);
        return ActivityTraceId.CreateFromBytes(bytes);
    }

    /// <summary>Formats a W3C trace id as X-Ray writes it: <c>1-{8 hex}-{24 hex}</c>.</summary>
    public static string ToXRayFormat(ActivityTraceId traceId)
    {
        var hex = traceId.ToHexString();
        return $"{Version}-{hex[..8]}-{hex[8..]}";
    }

    /// <summary>
    /// Makes every new root activity in this process use an X-Ray-compatible id, or the trace id
    /// an incoming <c>Root</c>-only header asked to continue (<see cref="XRayRootContinuation"/>).
    /// Child activities always inherit their parent's id, so only roots are affected.
    /// </summary>
    internal static void UseForRootActivities(TimeProvider timeProvider) =>
        Activity.TraceIdGenerator = () =>
            XRayRootContinuation.TryTake(out var continued) ? continued : Create(timeProvider);
}
