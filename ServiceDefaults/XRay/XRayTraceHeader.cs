using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>Upstream sampling decision carried by <c>Sampled=</c>.</summary>
internal enum XRaySampling
{
    /// <summary><c>Sampled=?</c> or no <c>Sampled</c> key: the receiver decides.</summary>
    Undecided,

    /// <summary><c>Sampled=0</c>.</summary>
    NotSampled,

    /// <summary><c>Sampled=1</c>.</summary>
    Sampled,
}

/// <summary>
/// The <c>X-Amzn-Trace-Id</c> header: <c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1|?}</c>.
/// Keys may come in any order with optional spaces or tabs around <c>;</c> and <c>=</c>; unknown
/// keys (<c>Lineage</c>, <c>Self</c>, …) are ignored. Anything else is malformed.
/// </summary>
/// <param name="TraceId">The trace id from <c>Root</c>.</param>
/// <param name="ParentId">The span id from <c>Parent</c>; default when absent (a load balancer's header).</param>
/// <param name="Sampling">The decision from <c>Sampled</c>.</param>
internal readonly record struct XRayTraceHeader(ActivityTraceId TraceId, ActivitySpanId ParentId, XRaySampling Sampling)
{
    /// <summary>Longest header accepted. Real headers stay under 200 characters even with <c>Lineage</c>.</summary>
    internal const int MaxLength = 512;

    internal const string RootKey = "Root";
    internal const string ParentKey = "Parent";
    internal const string SampledKey = "Sampled";
    internal const string SampledValue = "1";
    internal const string NotSampledValue = "0";
    internal const string UndecidedValue = "?";

    private const char PairSeparator = ';';
    private const char KeyValueSeparator = '=';
    private const char RootPartSeparator = '-';
    private const string RootVersionPrefix = "1-";
    private const int EpochHexLength = 8;
    private const int RandomHexLength = 24;
    private const int TraceIdHexLength = EpochHexLength + RandomHexLength;
    private const int RootLength = 35; // "1-" + 8 hex + "-" + 24 hex
    private const int SpanIdHexLength = 16;
    private const char FirstPrintable = ' ';
    private const char LastPrintable = '~';
    private const char Tab = '\t';
    private const char ZeroDigit = '0';
    private const string OptionalWhitespace = " \t";

    /// <summary>True when <c>Parent</c> was present.</summary>
    public bool HasParent => ParentId != default;

    /// <summary>Parses a header value; false (never an exception) for anything malformed.</summary>
    internal static bool TryParse(string? value, out XRayTraceHeader header)
    {
        header = default;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !IsPrintableAscii(value))
        {
            return false;
        }

        ActivityTraceId? traceId = null;
        ActivitySpanId? parentId = null;
        XRaySampling? sampling = null;
        foreach (var range in value.AsSpan().Split(PairSeparator))
        {
            var pair = value.AsSpan(range).Trim(OptionalWhitespace);
            if (pair.IsEmpty)
            {
                continue; // tolerates a trailing ';'
            }

            var equals = pair.IndexOf(KeyValueSeparator);
            if (equals <= 0)
            {
                return false;
            }

            var key = pair[..equals].TrimEnd(OptionalWhitespace);
            var item = pair[(equals + 1)..].TrimStart(OptionalWhitespace);
            var known = key.SequenceEqual(RootKey) ? TryReadOnce(item, ref traceId, TryParseRoot)
                : key.SequenceEqual(ParentKey) ? TryReadOnce(item, ref parentId, TryParseSpanId)
                : key.SequenceEqual(SampledKey) ? TryReadOnce(item, ref sampling, TryParseSampling)
                : (bool?)null;
            if (known == false)
            {
                return false;
            }
        }

        if (traceId is not { } root)
        {
            return false;
        }

        header = new XRayTraceHeader(root, parentId ?? default, sampling ?? XRaySampling.Undecided);
        return true;
    }

    /// <summary>Formats the header sent on outgoing calls: always with <c>Parent</c> and a 0/1 decision.</summary>
    internal static string Format(ActivityTraceId traceId, ActivitySpanId parentId, bool sampled) =>
        $"{RootKey}={XRayTraceId.ToXRayFormat(traceId)}{PairSeparator}{ParentKey}={parentId.ToHexString()}"
        + $"{PairSeparator}{SampledKey}={(sampled ? SampledValue : NotSampledValue)}";

    private delegate bool ItemParser<T>(ReadOnlySpan<char> item, out T result);

    private static bool TryReadOnce<T>(ReadOnlySpan<char> item, ref T? slot, ItemParser<T> parse)
        where T : struct
    {
        // A repeated key is ambiguous: which one did the sender mean?
        if (slot is not null || !parse(item, out var result))
        {
            return false;
        }

        slot = result;
        return true;
    }

    private static bool TryParseRoot(ReadOnlySpan<char> item, out ActivityTraceId traceId)
    {
        traceId = default;
        if (item.Length != RootLength
            || !item.StartsWith(RootVersionPrefix, StringComparison.Ordinal)
            || item[RootVersionPrefix.Length + EpochHexLength] != RootPartSeparator)
        {
            return false;
        }

        Span<char> hex = stackalloc char[TraceIdHexLength];
        item.Slice(RootVersionPrefix.Length, EpochHexLength).CopyTo(hex);
        item[^RandomHexLength..].CopyTo(hex[EpochHexLength..]);
        if (!IsNonZeroLowerHex(hex))
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromString(hex);
        return true;
    }

    private static bool TryParseSpanId(ReadOnlySpan<char> item, out ActivitySpanId spanId)
    {
        spanId = default;
        if (item.Length != SpanIdHexLength)
        {
            return false;
        }

        Span<char> hex = stackalloc char[SpanIdHexLength];
        item.CopyTo(hex);
        if (!IsNonZeroLowerHex(hex))
        {
            return false;
        }

        spanId = ActivitySpanId.CreateFromString(hex);
        return true;
    }

    private static bool TryParseSampling(ReadOnlySpan<char> item, out XRaySampling sampling)
    {
        sampling = item.SequenceEqual(SampledValue) ? XRaySampling.Sampled
            : item.SequenceEqual(NotSampledValue) ? XRaySampling.NotSampled
            : XRaySampling.Undecided;
        return sampling != XRaySampling.Undecided || item.SequenceEqual(UndecidedValue);
    }

    /// <summary>Accepts either case (ids are case-insensitive hex) and lower-cases in place, as W3C ids require.</summary>
    private static bool IsNonZeroLowerHex(Span<char> hex)
    {
        var nonZero = false;
        for (var i = 0; i < hex.Length; i++)
        {
            if (!char.IsAsciiHexDigit(hex[i]))
            {
                return false;
            }

            hex[i] = char.ToLowerInvariant(hex[i]);
            nonZero |= hex[i] != ZeroDigit;
        }

        return nonZero;
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if ((c < FirstPrintable || c > LastPrintable) && c != Tab)
            {
                return false;
            }
        }

        return true;
    }
}
