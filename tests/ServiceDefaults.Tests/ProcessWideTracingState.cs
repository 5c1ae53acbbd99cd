namespace ServiceDefaults.Tests;

/// <summary>
/// Tests that set or depend on process-wide tracing state (<c>Activity.TraceIdGenerator</c>, the
/// default propagator), which AddServiceDefaults also sets: never run them in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracingState
{
    public const string Name = "Process-wide tracing state";
}
