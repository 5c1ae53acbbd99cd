namespace EndToEnd.Tests;

/// <summary>
/// <c>Collector:Mode=auto</c> on a machine without a container runtime. The runtime CLI is one that
/// cannot exist, so this holds on machines that do have Docker; DCP itself is told plainly which
/// runtime it would use, since the model then has no container for it to run.
/// </summary>
public sealed class AutoModeWithoutRuntime : AppHostFixture
{
    protected override IEnumerable<string> Settings =>
    [
        "--Collector:Mode=auto",
        "--ASPIRE_CONTAINER_RUNTIME=no-such-container-cli",
        "--DcpPublisher:ContainerRuntime=docker",
    ];
}

/// <summary><c>Collector:Mode=off</c>: the collector is never started.</summary>
public sealed class CollectorOff : AppHostFixture
{
    protected override IEnumerable<string> Settings => ["--Collector:Mode=off"];
}
