using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EndToEnd.Tests.Dashboard;

/// <summary>
/// Debian's chromium driven by Playwright, one browser per test class and a fresh profile per test.
/// Playwright's own browser download is never used: the project installs chromium (.ci/run).
/// </summary>
public sealed class DashboardBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Root needs --no-sandbox; the rest keep chromium from calling a network that is closed here.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    // How long an expectation waits for its page state. Telemetry arrives in batches (every second in
    // development) and Blazor renders over a socket: allow for several rounds on a busy machine.
    private const float ExpectTimeoutMs = 30_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No browser at {ChromiumPath}: install Debian's chromium (apt-get install chromium), as .ci/run does.");
        }

        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ChromiumArgs });
    }

    /// <summary>
    /// Signs in through <paramref name="loginUrl"/>, then runs <paramref name="test"/>. When it fails,
    /// the page's screenshot and HTML are kept under <see cref="TestArtifacts.Folder"/> and named in the output.
    /// </summary>
    public async Task RunSignedInAsync(
        Uri loginUrl, ITestOutputHelper output, Func<IPage, Task> test, [CallerMemberName] string testName = "")
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser has not started.");
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = loginUrl.GetLeftPart(UriPartial.Authority),
            ViewportSize = new() { Width = 1280, Height = 400 },
        });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(loginUrl.ToString());
            // The token sets the auth cookie and sends the browser on to the Resources page.
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
            await test(page);
        }
        catch
        {
            var saved = await TestArtifacts.SaveFailureAsync(page, testName);
            output.WriteLine($"Browser state at the failure: {string.Join(", ", saved)}");
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
