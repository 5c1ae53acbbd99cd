namespace SampleApi.Tests;

/// <summary>
/// Tests that wait for a metric to arrive run alone. Meter listeners are process-wide, and the hosts
/// of one test process create meters of the same names (hosting, the export buffer): when another
/// test's host disposes its meters meanwhile, the stream of that name can stop in this host's
/// export for a while, and a wait for the metric then fails for a reason that is not the test's.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMetrics), DisableParallelization = true)]
public sealed class ProcessWideMetrics;
