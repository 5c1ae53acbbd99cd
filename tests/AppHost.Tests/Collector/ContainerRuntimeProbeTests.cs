using System.Diagnostics;

namespace AppHost.Tests.Collector;

public sealed class ContainerRuntimeProbeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("probe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A stand-in CLI: a shell script that behaves like a healthy, stopped or wedged engine
    // (Linux and macOS, where the solution's tests run).
    private string FakeCli(string body)
    {
        var path = Path.Combine(_folder, "fake-runtime");
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public void A_runtime_whose_info_succeeds_is_healthy() =>
        Assert.True(ContainerRuntimeProbe.EngineAnswers(FakeCli("exit 0"), TimeSpan.FromSeconds(10)));

    [Fact]
    public void A_runtime_whose_engine_is_down_is_not_healthy() =>
        Assert.False(ContainerRuntimeProbe.EngineAnswers(FakeCli("echo 'Cannot connect' >&2; exit 1"), TimeSpan.FromSeconds(10)));

    [Fact]
    public void A_missing_cli_is_not_healthy() =>
        Assert.False(ContainerRuntimeProbe.EngineAnswers(Path.Combine(_folder, "not-installed"), TimeSpan.FromSeconds(10)));

    [Fact]
    public void A_wedged_engine_is_given_up_on_at_the_timeout()
    {
        var clock = Stopwatch.StartNew();

        Assert.False(ContainerRuntimeProbe.EngineAnswers(FakeCli("sleep 30"), TimeSpan.FromMilliseconds(300)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed}");
    }
}
