namespace Microsoft.Extensions.Hosting;

/// <summary>The three OTLP signals, as the export buffer tells them apart by request path.</summary>
internal enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}

/// <summary>Names the OpenTelemetry semantic conventions give each signal's exporter metrics.</summary>
internal static class OtlpSignalNames
{
    /// <summary>The signal an OTLP/gRPC or OTLP/HTTP export request carries, from its path.</summary>
    public static OtlpSignal? FromPath(string path) =>
        path.EndsWith("/v1/traces", StringComparison.Ordinal) || path.EndsWith("TraceService/Export", StringComparison.Ordinal) ? OtlpSignal.Traces
        : path.EndsWith("/v1/logs", StringComparison.Ordinal) || path.EndsWith("LogsService/Export", StringComparison.Ordinal) ? OtlpSignal.Logs
        : path.EndsWith("/v1/metrics", StringComparison.Ordinal) || path.EndsWith("MetricsService/Export", StringComparison.Ordinal) ? OtlpSignal.Metrics
        : null;

    /// <summary><c>span</c>, <c>log</c> or <c>metric_data_point</c>: the item in <c>otel.sdk.exporter.{item}.exported</c>.</summary>
    public static string Item(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => "span",
        OtlpSignal.Logs => "log",
        _ => "metric_data_point",
    };

    /// <summary>The counter's unit: <c>{span}</c>, <c>{log_record}</c> or <c>{data_point}</c>.</summary>
    public static string Unit(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => "{span}",
        OtlpSignal.Logs => "{log_record}",
        _ => "{data_point}",
    };

    /// <summary>The <c>otel.component.type</c> value, e.g. <c>otlp_grpc_span_exporter</c>.</summary>
    public static string ComponentType(OtlpSignal signal, bool grpc) =>
        $"otlp_{(grpc ? "grpc" : "http")}_{(signal == OtlpSignal.Metrics ? "metric" : Item(signal))}_exporter";
}
