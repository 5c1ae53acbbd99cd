namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which of a signal's exporters an export request came from. The export buffer keeps one lane per signal and
/// destination, so that a copy's outage or refusal (AWS away, a 403) never holds up or evicts what goes to
/// the primary destination (the dashboard or a collector), and the other way round.
/// </summary>
internal enum ExportDestination
{
    /// <summary>The standard <c>OTEL_EXPORTER_OTLP_*</c> destination.</summary>
    Primary,

    /// <summary>The signal's <see cref="OtlpCopy"/> destination.</summary>
    Copy,
}
