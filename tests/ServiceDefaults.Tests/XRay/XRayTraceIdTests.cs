using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.XRay;

[Collection(ProcessWideTracingState.Name)]
public class XRayTraceIdTests
{
    private static uint TimestampOf(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    [Fact]
    public void Trace_id_starts_with_the_current_unix_second()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var traceId = XRayTraceId.Create(TimeProvider.System);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.InRange(TimestampOf(traceId), before, after);
    }

    [Fact]
    public void Trace_id_prefix_follows_the_clock_it_is_given()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(0x5759e988));

        var hex = XRayTraceId.Create(clock).ToHexString();

        Assert.StartsWith("5759e988", hex, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_part_differs_between_ids_created_in_the_same_second()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow);

        var first = XRayTraceId.Create(clock).ToHexString();
        var second = XRayTraceId.Create(clock).ToHexString();

        Assert.Equal(first[..8], second[..8]);
        Assert.NotEqual(first[8..], second[8..]);
    }

    [Fact]
    public void Random_part_uses_every_bit()
    {
        // OR and AND-NOT over many ids: every one of the 96 random bits must be seen set and unset.
        var seenSet = new byte[12];
        var seenUnset = new byte[12];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 1_000; i++)
        {
            XRayTraceId.Create(TimeProvider.System).CopyTo(bytes);
            for (var b = 0; b < 12; b++)
            {
                seenSet[b] |= bytes[4 + b];
                seenUnset[b] |= (byte)~bytes[4 + b];
            }
        }

        Assert.All(seenSet, value => Assert.Equal(0xFF, value));
        Assert.All(seenUnset, value => Assert.Equal(0xFF, value));
    }

    [Fact]
    public void No_duplicates_across_many_ids_and_threads()
    {
        const int PerThread = 25_000;
        var ids = new ConcurrentDictionary<ActivityTraceId, byte>();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                ids.TryAdd(XRayTraceId.Create(TimeProvider.System), 0);
            }
        });

        Assert.Equal(8 * PerThread, ids.Count);
    }

    [Fact]
    public void X_ray_format_splits_timestamp_and_random_part()
    {
        var traceId = ActivityTraceId.CreateFromString("5759e988bd862e3fe1be46a994272793");

        Assert.Equal("1-5759e988-bd862e3fe1be46a994272793", XRayTraceId.ToXRayFormat(traceId));
    }

    [Fact]
    public void Root_activities_get_x_ray_ids_and_children_keep_the_root_id()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(0x6000_0000));
        using var scope = new XRayActivityScope(clock);

        using var root = scope.Source.StartActivity("root")!;
        using var child = scope.Source.StartActivity("child")!;

        Assert.StartsWith("60000000", root.TraceId.ToHexString(), StringComparison.Ordinal);
        Assert.Equal(root.TraceId, child.TraceId);
        Assert.Equal(root.SpanId, child.ParentSpanId);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
