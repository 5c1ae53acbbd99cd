using OpenTelemetry.Context.Propagation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Builds the process-wide propagator from the standard <c>OTEL_PROPAGATORS</c> list
/// (<c>tracecontext</c>, <c>baggage</c>, <c>xray</c>, <c>none</c>; case-insensitive, comma-separated).
/// </summary>
/// <remarks>
/// Unset or blank means <see cref="DefaultNames"/>. Extraction follows list order and the first
/// propagator that finds a trace wins (for <c>xray</c>, a <c>Root</c>-only header counts), so
/// the default puts a valid W3C <c>traceparent</c> ahead of X-Ray, and X-Ray is used when
/// <c>traceparent</c> is absent or invalid.
/// Unknown names are ignored and reported once as a startup warning, as the OpenTelemetry
/// specification asks; if nothing known remains the default is used, so a typo never turns
/// propagation off. Only <c>none</c> does (it overrides anything else in the list).
/// </remarks>
/// <param name="Propagator">The composite to install.</param>
/// <param name="Names">The names in effect, in order.</param>
/// <param name="UnknownNames">Names that were ignored.</param>
internal sealed record PropagatorSelection(
    TextMapPropagator Propagator, IReadOnlyList<string> Names, IReadOnlyList<string> UnknownNames)
{
    /// <summary>The standard setting.</summary>
    public const string SettingName = "OTEL_PROPAGATORS";

    public const string TraceContextName = "tracecontext";
    public const string BaggageName = "baggage";
    public const string XRayName = "xray";
    public const string NoneName = "none";

    /// <summary>What an unset <c>OTEL_PROPAGATORS</c> means.</summary>
    public const string DefaultNames = $"{TraceContextName},{BaggageName},{XRayName}";

    private const char ListSeparator = ',';

    /// <summary>Parses the setting; never throws.</summary>
    public static PropagatorSelection Parse(string? setting)
    {
        var requested = (string.IsNullOrWhiteSpace(setting) ? DefaultNames : setting)
            .Split(ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct()
            .ToArray();
        var unknown = requested.Where(name => !IsKnown(name)).ToArray();

        if (requested.Contains(NoneName))
        {
            return new PropagatorSelection(new CompositeTextMapPropagator([]), [NoneName], unknown);
        }

        var known = requested.Where(IsKnown).ToArray();
        if (known.Length == 0)
        {
            return Parse(DefaultNames) with { UnknownNames = unknown };
        }

        return new PropagatorSelection(new CompositeTextMapPropagator(known.Select(Create)), known, unknown);
    }

    private static bool IsKnown(string name) =>
        name is TraceContextName or BaggageName or XRayName or NoneName;

    private static TextMapPropagator Create(string name) => name switch
    {
        TraceContextName => new TraceContextPropagator(),
        BaggageName => new BaggagePropagator(),
        _ => new XRayPropagator(),
    };
}
