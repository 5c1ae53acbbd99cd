using System.Text;

namespace SampleApi.Tests;

/// <summary>One generated request: its headers and the trace id the API must continue, if any.</summary>
public sealed record FuzzedRequest(IReadOnlyList<(string Name, string Value)> Headers, string? ExpectedTraceId);

/// <summary>
/// Deterministic mix of valid and hostile <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>
/// and <c>X-Amzn-Trace-Id</c> values. Invalid forms are ones every parser must reject (wrong
/// length, non-hex, zero ids, control characters, unicode, huge), so the expected trace id is
/// unambiguous: a valid traceparent's, else a valid X-Ray header's, else a new one.
/// </summary>
public sealed class HeaderFuzzer(int seed)
{
    private const string Hex = "0123456789abcdef";
    private const string Printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_=;,.:/|?!*";
    private const string Hostile = "\0\u0001\u001f\u007f\u00e9\u00fc\u4e2d\u200b\ufeff\ud83d\u0661";
    private const int HugeLength = 20_000;
    private const string RootPrefix = "Root=1-";

    private readonly Random _random = new(seed);

    public FuzzedRequest Next()
    {
        var headers = new List<(string, string)>();
        var (traceParent, w3cTraceId) = Maybe(TraceParent);
        var (xray, xrayTraceId) = Maybe(XRay);
        Add(headers, "traceparent", traceParent);
        Add(headers, "tracestate", Maybe(TraceState).Value);
        Add(headers, "baggage", Maybe(Baggage).Value);
        Add(headers, "X-Amzn-Trace-Id", xray);
        return new FuzzedRequest(headers, w3cTraceId ?? xrayTraceId);
    }

    private static void Add(List<(string, string)> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add((name, value));
        }
    }

    /// <summary>Absent one time in eight, otherwise valid or hostile about half the time each.</summary>
    private (string? Value, string? TraceId) Maybe(Func<bool, (string, string?)> generate) =>
        _random.Next(8) == 0 ? (null, null) : generate(_random.Next(2) == 0);

    private (string, string?) TraceParent(bool valid)
    {
        var traceId = HexString(32);
        var value = $"00-{traceId}-{HexString(16)}-{(_random.Next(2) == 0 ? "01" : "00")}";
        return valid ? (value, traceId) : (Break(value, traceIdAt: 3), null);
    }

    private (string, string?) XRay(bool valid)
    {
        var traceId = HexString(32);
        var pairs = new List<string> { $"{RootPrefix}{traceId[..8]}-{traceId[8..]}" };
        if (_random.Next(3) > 0)
        {
            pairs.Add($"Parent={HexString(16)}");
        }

        if (_random.Next(3) > 0)
        {
            pairs.Add($"Sampled={"01?"[_random.Next(3)]}");
        }

        if (_random.Next(4) == 0)
        {
            pairs.Add("Lineage=a87bd80c:1|68fd508a:5");
        }

        var value = string.Join(_random.Next(2) == 0 ? ";" : " ; ", pairs.OrderBy(_ => _random.Next()));
        return valid ? (value, traceId) : (Break(value, traceIdAt: value.IndexOf(RootPrefix, StringComparison.Ordinal) + RootPrefix.Length), null);
    }

    private (string, string?) TraceState(bool valid) =>
        (valid ? $"vendor{_random.Next(100)}={HexString(8)},other=value" : Garbage(), null);

    private (string, string?) Baggage(bool valid) =>
        (valid ? $"tenant={HexString(4)},region=eu%20west" : Garbage(), null);

    /// <summary>Makes a valid header certainly invalid, always by damaging the trace id itself.</summary>
    private string Break(string value, int traceIdAt) => _random.Next(6) switch
    {
        0 => value[..(traceIdAt + 10)],
        1 => value.Remove(traceIdAt, 1).Insert(traceIdAt, "z"),
        2 => value.Remove(traceIdAt, 1).Insert(traceIdAt, HostileChar()),
        3 => value.Insert(traceIdAt + 2, HostileChar()),
        4 => value.Insert(traceIdAt, new string('a', HugeLength)),
        _ => Garbage(),
    };

    private string HostileChar() => Hostile[_random.Next(Hostile.Length)].ToString();

    private string Garbage()
    {
        var builder = new StringBuilder();
        var length = _random.Next(4) == 0 ? HugeLength : _random.Next(60);
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(10) == 0 ? Hostile[_random.Next(Hostile.Length)] : Printable[_random.Next(Printable.Length)]);
        }

        return builder.ToString();
    }

    private string HexString(int length)
    {
        string value;
        do
        {
            value = string.Create(length, _random, static (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = Hex[random.Next(Hex.Length)];
                }
            });
        }
        while (value.Trim('0').Length == 0); // all-zero ids are invalid by definition
        return value;
    }
}
