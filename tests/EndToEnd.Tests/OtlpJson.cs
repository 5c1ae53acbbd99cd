using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>A span as the dashboard returns it, with the resource it came from.</summary>
public sealed record DashboardSpan(
    string ServiceName, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    /// <summary>OTLP <c>SPAN_KIND_SERVER</c>.</summary>
    public const int ServerKind = 2;

    /// <summary>OTLP <c>SPAN_KIND_CLIENT</c>.</summary>
    public const int ClientKind = 3;

    public static IReadOnlyList<DashboardSpan> Parse(JsonElement otlp) =>
        [.. from resource in otlp.GetProperty("resourceSpans").EnumerateArray()
            let service = OtlpJson.ServiceName(resource)
            from scopeSpans in resource.GetProperty("scopeSpans").EnumerateArray()
            let scope = scopeSpans.GetProperty("scope").GetProperty("name").GetString() ?? ""
            from span in scopeSpans.GetProperty("spans").EnumerateArray()
            select new DashboardSpan(
                service,
                scope,
                span.GetProperty("traceId").GetString()!,
                span.GetProperty("spanId").GetString()!,
                OtlpJson.StringOrEmpty(span, "parentSpanId"),
                span.GetProperty("name").GetString()!,
                span.GetProperty("kind").GetInt32())];
}

/// <summary>A log record as the dashboard returns it.</summary>
public sealed record DashboardLog(string ServiceName, string TraceId, string SpanId, string Body)
{
    public static IReadOnlyList<DashboardLog> Parse(JsonElement otlp) =>
        [.. from resource in otlp.GetProperty("resourceLogs").EnumerateArray()
            let service = OtlpJson.ServiceName(resource)
            from scopeLogs in resource.GetProperty("scopeLogs").EnumerateArray()
            from log in scopeLogs.GetProperty("logRecords").EnumerateArray()
            select new DashboardLog(
                service,
                OtlpJson.StringOrEmpty(log, "traceId"),
                OtlpJson.StringOrEmpty(log, "spanId"),
                log.TryGetProperty("body", out var body) ? OtlpJson.StringOrEmpty(body, "stringValue") : "")];
}

internal static class OtlpJson
{
    public static string ServiceName(JsonElement resource) =>
        resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
            .Where(attribute => attribute.GetProperty("key").GetString() == "service.name")
            .Select(attribute => attribute.GetProperty("value").GetProperty("stringValue").GetString())
            .SingleOrDefault() ?? "";

    public static string StringOrEmpty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";
}
