using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Context.Propagation;

namespace ServiceDefaults.Tests.Propagation;

public class PropagatorSelectionTests
{
    private const string XRayTraceId = "5759e988bd862e3fe1be46a994272793";
    private const string XRayHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    private const string W3CTraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static ActivityContext Extract(TextMapPropagator propagator, Dictionary<string, string> headers) =>
        propagator.Extract(default, headers, static (carrier, name) =>
            carrier.TryGetValue(name, out var value) ? [value] : []).ActivityContext;

    private static Dictionary<string, string> Inject(TextMapPropagator propagator)
    {
        var carrier = new Dictionary<string, string>();
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        propagator.Inject(new PropagationContext(context, default), carrier, static (c, name, value) => c[name] = value);
        return carrier;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_setting_selects_tracecontext_baggage_and_xray(string? setting)
    {
        var selection = PropagatorSelection.Parse(setting);

        Assert.Equal(["tracecontext", "baggage", "xray"], selection.Names);
        Assert.Empty(selection.UnknownNames);
        Assert.Equal(
            new HashSet<string> { "traceparent", "tracestate", "baggage", "X-Amzn-Trace-Id" },
            selection.Propagator.Fields);
    }

    [Fact]
    public void Names_are_trimmed_case_insensitive_and_deduplicated()
    {
        var selection = PropagatorSelection.Parse(" XRay , tracecontext,xray,, ");

        Assert.Equal(["xray", "tracecontext"], selection.Names);
        Assert.Equal(new HashSet<string> { "X-Amzn-Trace-Id", "traceparent", "tracestate" }, selection.Propagator.Fields);
    }

    [Fact]
    public void Unknown_names_are_ignored_and_reported()
    {
        var selection = PropagatorSelection.Parse("tracecontext,b3,jaeger");

        Assert.Equal(["tracecontext"], selection.Names);
        Assert.Equal(["b3", "jaeger"], selection.UnknownNames);
        Assert.Equal(["traceparent"], Inject(selection.Propagator).Keys);
    }

    [Fact]
    public void Only_unknown_names_fall_back_to_the_default()
    {
        var selection = PropagatorSelection.Parse("tracecontex");

        Assert.Equal(["tracecontext", "baggage", "xray"], selection.Names);
        Assert.Equal(["tracecontex"], selection.UnknownNames);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    [InlineData("tracecontext,none,xray")]
    public void None_turns_propagation_off(string setting)
    {
        var selection = PropagatorSelection.Parse(setting);

        Assert.Equal(["none"], selection.Names);
        Assert.Empty(Inject(selection.Propagator));
        Assert.Equal(default, Extract(selection.Propagator, new() { ["traceparent"] = TraceParent, ["X-Amzn-Trace-Id"] = XRayHeader }));
    }

    [Fact]
    public void Default_injects_both_w3c_and_x_ray_headers_with_the_same_ids()
    {
        var carrier = Inject(PropagatorSelection.Parse(null).Propagator);

        var fromW3C = Extract(new TraceContextPropagator(), carrier);
        var fromXRay = Extract(new XRayPropagator(), carrier);
        Assert.Equal(fromW3C, fromXRay);
    }

    [Fact]
    public void Valid_traceparent_wins_over_x_ray_by_default()
    {
        var context = Extract(PropagatorSelection.Parse(null).Propagator,
            new() { ["traceparent"] = TraceParent, ["X-Amzn-Trace-Id"] = XRayHeader });

        Assert.Equal(W3CTraceId, context.TraceId.ToHexString());
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    [InlineData("garbage")]
    public void Invalid_traceparent_falls_back_to_x_ray(string traceParent)
    {
        var context = Extract(PropagatorSelection.Parse(null).Propagator,
            new() { ["traceparent"] = traceParent, ["X-Amzn-Trace-Id"] = XRayHeader });

        Assert.Equal(XRayTraceId, context.TraceId.ToHexString());
    }

    [Fact]
    public void X_ray_listed_first_wins_over_traceparent()
    {
        var context = Extract(PropagatorSelection.Parse("xray,tracecontext").Propagator,
            new() { ["traceparent"] = TraceParent, ["X-Amzn-Trace-Id"] = XRayHeader });

        Assert.Equal(XRayTraceId, context.TraceId.ToHexString());
    }

    [Fact]
    public void Root_only_x_ray_listed_first_also_wins_over_traceparent()
    {
        var context = Extract(PropagatorSelection.Parse("xray,tracecontext").Propagator,
            new() { ["traceparent"] = TraceParent, ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793" });

        // OpenTelemetry's W3C propagator skips any non-default context, even one without a span id.
        Assert.Equal(XRayTraceId, context.TraceId.ToHexString());
        Assert.Equal(default, context.SpanId);
    }
}
