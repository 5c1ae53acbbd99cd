using OtlpSink;

namespace BenchDriver;

/// <summary>One wrk run of one variant, with the CPU each process used during it.</summary>
/// <remarks>
/// Spans are counted for the run's own trace-id phase once arrivals settle. wrk abandons the
/// requests in flight when it stops (up to one per connection), which the server may still
/// complete: received may exceed 4 × completed by up to 4 × connections, and a loss smaller than
/// that cannot be told apart.
/// </remarks>
internal sealed record CostSample(
    string Variant, int Round, WrkResult Wrk, double ServerCpuUsPerRequest, double SinkCpuUsPerRequest,
    long SpansExpected, long SpansReceived);

/// <summary>Medians over the rounds of one variant.</summary>
internal sealed record CostSummary(
    string Variant, double RequestsPerSecond, double P50Ms, double P99Ms,
    double ServerCpuUsPerRequest, double SinkCpuUsPerRequest, double PeakRssMiB, long Errors,
    long SpansExpected, long SpansReceived);

/// <summary>A load run whose spans were counted at the sink.</summary>
internal sealed record DeliveryResult(
    string Scenario, PhaseResult Load, long SpansExpected, long SpansReceived, long LogRecordsExpected, long LogRecordsReceived, double PeakRssMiB)
{
    public double Delivered => SpansExpected == 0 ? double.NaN : (double)SpansReceived / SpansExpected;
}

/// <summary>Milliseconds from starting the process to its first <c>/health</c> 200, over the cold starts of one variant.</summary>
internal sealed record StartupResult(string Variant, double MedianMs, double MinMs, double MaxMs, IReadOnlyList<double> SamplesMs);

/// <summary>Everything one run measured.</summary>
internal sealed record Results(
    DateTimeOffset Started,
    string Mode,
    string Machine,
    long JitPodMemoryLimitMiB,
    long AotPodMemoryLimitMiB,
    Plan Plan,
    IReadOnlyList<CostSample> CostSamples,
    IReadOnlyList<CostSummary> Cost,
    IReadOnlyList<DeliveryResult> Delivery,
    double FixedRate,
    TallySnapshot? SinkTotals,
    string? SigtermExit,
    IReadOnlyList<StartupResult> Startup);
