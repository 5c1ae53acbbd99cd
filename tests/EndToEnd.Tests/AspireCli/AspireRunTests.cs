using System.Text.Json;
using Aspire.Hosting;
using EndToEnd.Tests.Dashboard;
using TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests.AspireCli;

/// <summary>
/// <c>aspire run</c> as a newcomer runs it: a fresh clone, <c>dotnet tool restore</c>, the pinned CLI.
/// One run, checked step by step, since it builds the solution in the clone (minutes on a busy machine).
/// </summary>
public sealed class AspireRunTests(DashboardBrowser browser, ITestOutputHelper output) : IClassFixture<DashboardBrowser>, IDisposable
{
    private const string SampleApi = "sampleapi";

    // Building the clone's AppHost and projects from scratch dominates.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    // `aspire stop` ends the AppHost at once (it kills it after 10 s, so waiting for DCP's cleanup inside the
    // AppHost is no option); DCP then stops what it started and exits, 15 s after the stop here.
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(90);

    private static readonly string[] AppHostArguments =
    [
        .. IsolatedAppHost.Arguments,
        // Random ports for the API and the dashboard, and a free port for the resource service, so this
        // run meets neither the other fixtures nor a developer's own run on the launch profile's fixed ports.
        "--DcpPublisher:RandomizePorts=true",
        "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=",
        // The same on every machine: no container, so no wait for a container runtime.
        "--Collector:Mode=off",
    ];

    private ClonedRepository? _clone;

    [Fact]
    public async Task Aspire_run_from_a_fresh_clone_shows_the_dashboard_and_the_sample_links_writes_nothing_and_stops_cleanly()
    {
        _clone = await ClonedRepository.CloneAsync();
        var cli = new AspireCliSession(_clone);
        await Succeeds(cli.DotnetAsync("tool", "restore"));

        using (var run = cli.StartRun(AppHostArguments))
        {
            try
            {
                var login = await run.DashboardLoginUrl.WaitAsync(StartTimeout);
                await Succeeds(cli.AspireAsync("wait", SampleApi, "--timeout", "300"));

                // What `aspire run` users do not see in the console, the dashboard shows them.
                await browser.RunSignedInAsync(login, output, page =>
                    Expect(page.GetByText($"{SampleApi} is ready", new() { Exact = true })).ToBeVisibleAsync());
                using var http = new HttpClient();
                var links = await SampleLinksAsync(cli);
                Assert.Contains("\"traceId\"", await http.GetStringAsync(links[SampleApiDashboardExtensions.SampleWithoutDelaysLinkText]), StringComparison.Ordinal);
                Assert.EndsWith("/sample", links[SampleApiDashboardExtensions.SampleLinkText], StringComparison.Ordinal);
                var called = await Succeeds(cli.AspireAsync("resource", SampleApi, SampleApiDashboardExtensions.CallSampleCommand));
                Assert.Contains($"Traces shows it as '{SampleApi}: GET /sample' ({login.GetLeftPart(UriPartial.Authority)}/traces/detail/", called, StringComparison.Ordinal);

                Assert.Equal("", await _clone.StatusAsync());

                await Succeeds(cli.AspireAsync("stop"));
                using var stop = new CancellationTokenSource(StopTimeout);
                Assert.Equal(0, await run.WaitForExitAsync(stop.Token));
            }
            finally
            {
                output.WriteLine($"aspire run printed:\n{run.Output}");
                if (!run.HasExited)
                {
                    // The test failed on the way: stop the run the way a user would before it is killed.
                    await cli.AspireAsync("stop");
                }
            }
        }

        Assert.Empty(await NoneLeftAsync(cli));
        Assert.Equal("", await _clone.StatusAsync());
    }

    public void Dispose() => _clone?.Dispose();

    /// <summary>sampleapi's links by their display text, as <c>aspire describe</c> reads them from the dashboard's resource service.</summary>
    private static async Task<Dictionary<string, string>> SampleLinksAsync(AspireCliSession cli)
    {
        var described = await Succeeds(cli.AspireAsync("describe", SampleApi, "--format", "Json"));
        // A status line may come before the JSON.
        using var json = JsonDocument.Parse(described[described.IndexOf('{', StringComparison.Ordinal)..]);
        var resource = json.RootElement.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("displayName").GetString() == SampleApi);
        return resource.GetProperty("urls").EnumerateArray().ToDictionary(
            url => url.GetProperty("displayName").GetString()!, url => url.GetProperty("url").GetString()!);
    }

    /// <summary>Waits for the processes of the run to end, up to <see cref="CleanupTimeout"/>, and returns any still alive.</summary>
    private static async Task<IReadOnlyList<string>> NoneLeftAsync(AspireCliSession cli)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        var deadline = DateTime.UtcNow + CleanupTimeout;
        while (cli.LiveProcesses() is { Count: > 0 } live)
        {
            if (DateTime.UtcNow > deadline)
            {
                return live;
            }

            await timer.WaitForNextTickAsync();
        }

        return [];
    }

    private static async Task<string> Succeeds(Task<(int ExitCode, string Output)> command)
    {
        var (exitCode, text) = await command;
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{text}");
        return text;
    }
}
