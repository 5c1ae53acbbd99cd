namespace SampleApi.Tests;

/// <summary>
/// Tests that wait for a metric to arrive run alone. Meter listeners are process-wide, and the hosts
/// of one test process create meters of the same names (hosting, the export buffer). Run beside the
/// other tests, such a wait failed now and then while another test's host was being disposed (its
/// metric stopped arriving); run alone, it has not. The link to the disposal is inferred, not proven.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMetrics), DisableParallelization = true)]
public sealed class ProcessWideMetrics;
