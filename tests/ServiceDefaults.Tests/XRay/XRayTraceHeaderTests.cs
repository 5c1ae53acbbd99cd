using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.XRay;

public class XRayTraceHeaderTests
{
    private const string Root = "1-5759e988-bd862e3fe1be46a994272793";
    private const string TraceId = "5759e988bd862e3fe1be46a994272793";
    private const string Parent = "53995c3f42cd8ad8";
    private const string NoParent = "0000000000000000";

    public static TheoryData<string, string, string, string> ValidHeaders => new()
    {
        { $"Root={Root};Parent={Parent};Sampled=1", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"Root={Root};Parent={Parent};Sampled=0", TraceId, Parent, nameof(XRaySampling.NotSampled) },
        { $"Root={Root};Parent={Parent};Sampled=?", TraceId, Parent, nameof(XRaySampling.Undecided) },
        { $"Root={Root};Parent={Parent}", TraceId, Parent, nameof(XRaySampling.Undecided) },
        { $"Root={Root}", TraceId, NoParent, nameof(XRaySampling.Undecided) },
        { $"Root={Root};Sampled=1", TraceId, NoParent, nameof(XRaySampling.Sampled) },
        { $"Root={Root};Sampled=0", TraceId, NoParent, nameof(XRaySampling.NotSampled) },
        { $"Sampled=1;Parent={Parent};Root={Root}", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"Parent={Parent};Root={Root};Sampled=0", TraceId, Parent, nameof(XRaySampling.NotSampled) },
        { $"Root = {Root} ; Parent = {Parent} ; Sampled = 1", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"  Root={Root};Parent={Parent};Sampled=1  ", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"Root=\t{Root}\t;\tParent={Parent}", TraceId, Parent, nameof(XRaySampling.Undecided) },
        { $"Root={Root};Parent={Parent};Sampled=1;", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"Root={Root};;Parent={Parent}", TraceId, Parent, nameof(XRaySampling.Undecided) },
        { $"Root={Root};Parent={Parent};Sampled=1;Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2", TraceId, Parent, nameof(XRaySampling.Sampled) },
        { $"Self=1-67891234-12456789abcdef012345678;Root={Root};Sampled=1", TraceId, NoParent, nameof(XRaySampling.Sampled) },
        { $"Root={Root};Foo=bar;Parent={Parent}", TraceId, Parent, nameof(XRaySampling.Undecided) },
        { $"Root={Root};Foo=", TraceId, NoParent, nameof(XRaySampling.Undecided) },
        { $"Root={Root.ToUpperInvariant()};Parent={Parent.ToUpperInvariant()}", TraceId, Parent, nameof(XRaySampling.Undecided) },
    };

    public static TheoryData<string?> MalformedHeaders => new()
    {
        // empty
        null,
        "",
        " ",
        ";",
        "Root=",
        "Root",
        // wrong lengths
        "Root=1-5759e988-bd862e3fe1be46a99427279",
        "Root=1-5759e988-bd862e3fe1be46a9942727933",
        "Root=1-5759e98-bd862e3fe1be46a994272793",
        "Root=1-5759e9888-d862e3fe1be46a994272793",
        $"Root={Root};Parent=53995c3f42cd8ad",
        $"Root={Root};Parent=53995c3f42cd8ad8a",
        // missing or wrong version and separators
        "Root=5759e988-bd862e3fe1be46a994272793",
        "Root=5759e988bd862e3fe1be46a994272793",
        "Root=2-5759e988-bd862e3fe1be46a994272793",
        "Root=1_5759e988_bd862e3fe1be46a994272793",
        "Root=1-5759e988 -bd862e3fe1be46a99427279",
        $"Root=\"{Root}\"",
        // not hex, or all zero
        "Root=1-5759e98g-bd862e3fe1be46a994272793",
        "Root=1-5759e988-bd862e3fe1be46a99427279z",
        "Root=1-+759e988-bd862e3fe1be46a994272793",
        "Root=1-00000000-000000000000000000000000",
        $"Root={Root};Parent=53995c3f42cd8adx",
        $"Root={Root};Parent={NoParent}",
        // bad sampling decisions
        $"Root={Root};Sampled=2",
        $"Root={Root};Sampled=yes",
        $"Root={Root};Sampled=",
        $"Root={Root};Sampled=11",
        // duplicated known keys
        $"Root={Root};Root={Root}",
        $"Root={Root};Root=1-5759e988-bd862e3fe1be46a994272794",
        $"Root={Root};Parent={Parent};Parent={Parent}",
        $"Root={Root};Sampled=1;Sampled=0",
        // no Root, or a pair that is not key=value
        $"Parent={Parent};Sampled=1",
        "Sampled=1",
        $"root={Root}",
        $"ROOT={Root}",
        $"={Root}",
        $"Root={Root};Parent",
        $"Root={Root};Parent={Parent};Sampled=1,Root={Root};Parent={Parent};Sampled=1",
        // huge values
        $"Root={Root};Lineage={new string('a', 600)}",
        $"Root={new string('a', 10_000)}",
        new string(';', 100_000),
        // control characters
        $"Root={Root}\0",
        $"Root={Root}\r\nParent={Parent}",
        $"Root={Root};Parent={Parent}\n",
        $"Root={Root}\u007f",
        $"Root={Root}\v;Parent={Parent}",
        // unicode
        "Root=1-5759e988-bd862e3fe1be46a99427279\uff13",
        $"Root={Root};Lineage=\u00fc",
        $"R\u00f6ot={Root}",
        $"Root={Root};Parent=53995c3f42cd8a\u0661\u0662",
        $"Root={Root}\ud83d\ude00",
    };

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Valid_header_is_parsed(string value, string traceId, string parentId, string sampling)
    {
        Assert.True(XRayTraceHeader.TryParse(value, out var header));

        Assert.Equal(traceId, header.TraceId.ToHexString());
        Assert.Equal(parentId, header.ParentId.ToHexString());
        Assert.Equal(sampling, header.Sampling.ToString());
        Assert.Equal(parentId != NoParent, header.HasParent);
    }

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Malformed_header_is_rejected(string? value)
    {
        Assert.False(XRayTraceHeader.TryParse(value, out var header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Malformed_table_covers_at_least_thirty_forms()
    {
        Assert.True(MalformedHeaders.Count >= 30, $"only {MalformedHeaders.Count} malformed forms");
    }

    [Theory]
    [InlineData(true, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")]
    [InlineData(false, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")]
    public void Format_writes_root_parent_and_decision(bool sampled, string expected)
    {
        var value = XRayTraceHeader.Format(
            ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(Parent), sampled);

        Assert.Equal(expected, value);
    }

    [Fact]
    public void Longest_accepted_header_is_the_documented_limit()
    {
        var prefix = $"Root={Root};Lineage=";
        var atLimit = prefix + new string('a', XRayTraceHeader.MaxLength - prefix.Length);

        Assert.True(XRayTraceHeader.TryParse(atLimit, out _));
        Assert.False(XRayTraceHeader.TryParse(atLimit + "a", out _));
    }
}
