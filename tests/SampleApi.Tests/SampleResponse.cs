namespace SampleApi.Tests;

/// <summary>The JSON body of <c>GET /sample</c>, as a client reads it.</summary>
public sealed record SampleBody(string TraceId, string XrayTraceId, IReadOnlyList<StepBody> Steps);

public sealed record StepBody(string Name, string? SpanId, double DelayMs, double DurationMs);
