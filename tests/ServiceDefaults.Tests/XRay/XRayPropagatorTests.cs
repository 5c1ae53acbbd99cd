using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace ServiceDefaults.Tests.XRay;

public class XRayPropagatorTests
{
    private const string Header = XRayPropagator.HeaderName;
    private const string TraceId = "5759e988bd862e3fe1be46a994272793";
    private const string Root = "1-5759e988-bd862e3fe1be46a994272793";
    private const string Parent = "53995c3f42cd8ad8";

    private static readonly XRayPropagator Propagator = new();

    private static PropagationContext Extract(params (string Name, string Value)[] headers) =>
        Extract(default, headers);

    private static PropagationContext Extract(PropagationContext context, params (string Name, string Value)[] headers) =>
        Propagator.Extract(context, headers, static (carrier, name) =>
            carrier.Where(header => header.Name == name).Select(header => header.Value));

    [Theory]
    [InlineData("1", ActivityTraceFlags.Recorded)]
    [InlineData("0", ActivityTraceFlags.None)]
    public void Header_with_parent_and_decision_becomes_a_remote_parent(string sampled, ActivityTraceFlags flags)
    {
        var context = Extract((Header, $"Root={Root};Parent={Parent};Sampled={sampled}")).ActivityContext;

        Assert.Equal(TraceId, context.TraceId.ToHexString());
        Assert.Equal(Parent, context.SpanId.ToHexString());
        Assert.Equal(flags, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData($"Root={Root}")]
    [InlineData($"Root={Root};Sampled=1")]
    [InlineData($"Root={Root};Parent={Parent};Sampled=?")]
    [InlineData($"Root={Root};Parent={Parent}")]
    public void Header_without_parent_or_decision_carries_only_the_trace_id(string value)
    {
        var context = Extract((Header, value)).ActivityContext;

        Assert.Equal(TraceId, context.TraceId.ToHexString());
        Assert.Equal(default, context.SpanId);
        Assert.True(XRayPropagator.IsRootContinuation(context));
        Assert.False(XRayPropagator.IsValid(context));
    }

    [Theory]
    [MemberData(nameof(XRayTraceHeaderTests.MalformedHeaders), MemberType = typeof(XRayTraceHeaderTests))]
    public void Malformed_header_leaves_the_context_unchanged(string? value)
    {
        var baggage = Baggage.Create(new Dictionary<string, string> { ["k"] = "v" });
        var incoming = new PropagationContext(default, baggage);

        var result = Extract(incoming, (Header, value!));

        Assert.Equal(incoming, result);
    }

    [Fact]
    public void Two_header_values_are_ignored_as_ambiguous()
    {
        var result = Extract((Header, $"Root={Root}"), (Header, $"Root={Root}"));

        Assert.Equal(default, result);
    }

    [Fact]
    public void A_valid_context_from_an_earlier_propagator_is_kept()
    {
        var earlier = new PropagationContext(
            new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true),
            default);

        var result = Extract(earlier, (Header, $"Root={Root};Parent={Parent};Sampled=1"));

        Assert.Equal(earlier, result);
    }

    [Theory]
    [InlineData(ActivityTraceFlags.Recorded)]
    [InlineData(ActivityTraceFlags.None)]
    public void Inject_then_extract_gives_the_same_ids_and_decision(ActivityTraceFlags flags)
    {
        var sent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags);
        var carrier = new Dictionary<string, string>();

        Propagator.Inject(new PropagationContext(sent, default), carrier, static (c, name, value) => c[name] = value);
        var received = Extract([.. carrier.Select(pair => (pair.Key, pair.Value))]).ActivityContext;

        Assert.Equal(sent.TraceId, received.TraceId);
        Assert.Equal(sent.SpanId, received.SpanId);
        Assert.Equal(sent.TraceFlags, received.TraceFlags);
    }

    [Fact]
    public void Inject_writes_root_parent_and_decision()
    {
        var context = new ActivityContext(
            ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(Parent), ActivityTraceFlags.Recorded);
        var carrier = new Dictionary<string, string>();

        Propagator.Inject(new PropagationContext(context, default), carrier, static (c, name, value) => c[name] = value);

        Assert.Equal($"Root={Root};Parent={Parent};Sampled=1", Assert.Single(carrier).Value);
    }

    [Fact]
    public void Inject_keeps_a_header_the_caller_already_set()
    {
        const string CallersValue = "Root=1-11111111-111111111111111111111111;Parent=1111111111111111;Sampled=0";
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/");
        request.Headers.Add(Header, CallersValue);
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        // The HttpClient instrumentation's setter removes, then adds: it would overwrite.
        Propagator.Inject(new PropagationContext(context, default), request, static (r, name, value) =>
        {
            r.Headers.Remove(name);
            r.Headers.Add(name, value);
        });

        Assert.Equal(CallersValue, Assert.Single(request.Headers.GetValues(Header)));
    }

    [Fact]
    public void Inject_without_a_valid_context_writes_nothing()
    {
        var carrier = new Dictionary<string, string>();

        Propagator.Inject(default, carrier, static (c, name, value) => c[name] = value);

        Assert.Empty(carrier);
    }

    [Fact]
    public void Fields_name_the_x_ray_header()
    {
        Assert.Equal(["X-Amzn-Trace-Id"], Propagator.Fields);
    }
}
