using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace ServiceDefaults.Tests.Propagation;

[Collection(ProcessWideTracingState.Name)]
public class OpenTelemetryDistributedContextPropagatorTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string XRayId = "5759e988bd862e3fe1be46a994272793";

    private static readonly OpenTelemetryDistributedContextPropagator Bridge =
        new(PropagatorSelection.Parse(null).Propagator);

    // The shape of ASP.NET Core hosting's getter: one string per header name.
    private static readonly DistributedContextPropagator.PropagatorGetterCallback Getter =
        static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = ((Dictionary<string, string>)carrier!).GetValueOrDefault(name);
        };

    private static (string? TraceId, string? TraceState) ExtractFrom(Dictionary<string, string> headers)
    {
        Bridge.ExtractTraceIdAndState(headers, Getter, out var traceId, out var traceState);
        return (traceId, traceState);
    }

    [Fact]
    public void Traceparent_and_tracestate_reach_hosting_in_w3c_form()
    {
        var (traceId, traceState) = ExtractFrom(new() { ["traceparent"] = TraceParent, ["tracestate"] = "congo=t61rcWkgMzE" });

        Assert.Equal(TraceParent, traceId);
        Assert.Equal("congo=t61rcWkgMzE", traceState);
        Assert.False(XRayRootContinuation.TryTake(out _));
    }

    [Theory]
    [InlineData("1", "01")]
    [InlineData("0", "00")]
    public void X_ray_parent_reaches_hosting_as_a_traceparent(string sampled, string flags)
    {
        var (traceId, _) = ExtractFrom(new()
        {
            ["X-Amzn-Trace-Id"] = $"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled={sampled}",
        });

        Assert.Equal($"00-{XRayId}-53995c3f42cd8ad8-{flags}", traceId);
        Assert.True(ActivityContext.TryParse(traceId, null, isRemote: true, out _));
    }

    [Fact]
    public void Root_only_header_leaves_hosting_without_parent_and_sets_the_pending_trace_id()
    {
        var (traceId, _) = ExtractFrom(new() { ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793" });

        Assert.Null(traceId);
        Assert.True(XRayRootContinuation.TryTake(out var pending));
        Assert.Equal(XRayId, pending.ToHexString());
        Assert.False(XRayRootContinuation.TryTake(out _));
    }

    [Fact]
    public void A_request_without_trace_headers_clears_a_stale_pending_trace_id()
    {
        XRayRootContinuation.Set(ActivityTraceId.CreateRandom());

        var (traceId, _) = ExtractFrom([]);

        Assert.Null(traceId);
        Assert.False(XRayRootContinuation.TryTake(out _));
    }

    [Fact]
    public void Baggage_reaches_hosting()
    {
        var baggage = Bridge.ExtractBaggage(new Dictionary<string, string> { ["baggage"] = "tenant=a,region=eu" }, Getter);

        Assert.Equal([new("tenant", "a"), new("region", "eu")], baggage!.OrderByDescending(item => item.Key));
    }

    [Fact]
    public void Inject_writes_the_selected_headers_without_overwriting()
    {
        using var activity = new Activity("client").SetIdFormat(ActivityIdFormat.W3C).Start();
        var carrier = new Dictionary<string, string> { ["X-Amzn-Trace-Id"] = "caller's" };

        Bridge.Inject(activity, carrier, static (c, name, value) => ((Dictionary<string, string>)c!).TryAdd(name, value));

        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-00", carrier["traceparent"]);
        Assert.Equal("caller's", carrier["X-Amzn-Trace-Id"]);
        Assert.Equal(["X-Amzn-Trace-Id", "baggage", "traceparent", "tracestate"], Bridge.Fields.Order(StringComparer.Ordinal));
        Assert.Equal(0, Baggage.Current.Count);
    }

    [Fact]
    public void Pending_trace_id_is_used_once_by_the_next_root_activity()
    {
        using var scope = new XRayActivityScope(TimeProvider.System);

        XRayRootContinuation.Set(ActivityTraceId.CreateFromString(XRayId));
        using (var continued = scope.Source.StartActivity("continued")!)
        {
            Assert.Equal(XRayId, continued.TraceId.ToHexString());
            Assert.Equal(default, continued.ParentSpanId);
        }

        using var next = scope.Source.StartActivity("next")!;
        Assert.NotEqual(XRayId, next.TraceId.ToHexString());
    }
}
