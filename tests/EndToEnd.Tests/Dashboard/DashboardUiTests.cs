using System.Text.RegularExpressions;
using Aspire.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests.Dashboard;

/// <summary>
/// The dashboard as a person sees it, in a real browser: signed in with the run's token, the /sample
/// trace opened from the Traces view, its logs in Structured logs. Waits on page states only.
/// </summary>
[Collection(SharedAppHost.Name)]
public class DashboardUiTests(AutoModeWithoutRuntime fixture, DashboardBrowser browser, ITestOutputHelper output)
    : IClassFixture<DashboardBrowser>
{
    private const string Api = AppHostFixture.SampleApi;

    // For the documentation's picture, the sample as the README calls it (1 s, 2 s, 3 s); the test itself needs no delay.
    private static double DelayScale => TestArtifacts.UpdateDocsImages ? 1 : 0;

    [Fact]
    public async Task Traces_view_shows_the_sample_as_a_server_span_with_three_nested_steps()
    {
        var sample = await fixture.GetSampleAsync(DelayScale);

        await browser.RunSignedInAsync(fixture.DashboardLoginUrl, output, async page =>
        {
            var apiRow = page.GetByRole(AriaRole.Row)
                .Filter(new() { Has = page.GetByRole(AriaRole.Gridcell, new() { Name = $"Project: {Api}", Exact = true }) });
            await Expect(apiRow.GetByRole(AriaRole.Gridcell, new() { Name = "Running", Exact = true })).ToBeVisibleAsync();
            await TestArtifacts.ScreenshotAsync(page, "dashboard-resources");

            await page.GetByRole(AriaRole.Link, new() { Name = "Traces" }).ClickAsync();
            var traceRow = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator($"[title*='Trace Id: {sample.TraceId}']") });
            await Expect(traceRow).ToBeVisibleAsync();
            // Only the application's traces: no OTLP delivery of its own shows up as 'sampleapi: POST'.
            await Expect(page.GetByText($"{Api}: POST")).ToHaveCountAsync(0);
            await traceRow.GetByText($"{Api}: GET /sample").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/traces/detail/{sample.TraceId}$"));

            // The waterfall: one row per span, named "resource: span", each step indented under the one before.
            string[] waterfall = ["GET /sample", .. sample.Steps.Select(step => step.Name)];
            var spanCells = page.Locator($"[role=gridcell][aria-label^='{Api}: ']");
            await Expect(spanCells).ToHaveCountAsync(waterfall.Length);
            var rows = new List<LocatorBoundingBoxResult>();
            foreach (var span in waterfall)
            {
                var name = page.GetByRole(AriaRole.Gridcell, new() { Name = $"{Api}: {span}", Exact = true })
                    .GetByText(span, new() { Exact = true });
                rows.Add((await name.BoundingBoxAsync())!);
            }

            foreach (var (parent, child) in rows.Zip(rows.Skip(1)))
            {
                Assert.True(child.Y > parent.Y, "each span's row comes after its parent's");
                Assert.True(child.X > parent.X, "each span is indented under its parent");
            }

            await TestArtifacts.ScreenshotAsync(page, "sample-trace");
        });
    }

    [Fact]
    public async Task Resources_page_shows_the_startup_notification_and_links_sampleapi_to_the_sample()
    {
        await browser.RunSignedInAsync(fixture.DashboardLoginUrl, output, async page =>
        {
            await Expect(page.GetByText($"{Api} is ready", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByText("Collector: ADOT collector not started")).ToBeVisibleAsync();

            var apiRow = page.GetByRole(AriaRole.Row)
                .Filter(new() { Has = page.GetByRole(AriaRole.Gridcell, new() { Name = $"Project: {Api}", Exact = true }) });
            await Expect(apiRow.GetByRole(AriaRole.Link, new() { Name = "GET /sample", Exact = true }))
                .ToHaveAttributeAsync("href", new Regex("^http://localhost:[0-9]+/sample$"));
            // The command's button is named by its description.
            await Expect(apiRow.GetByRole(AriaRole.Button, new() { Name = SampleApiDashboardExtensions.CallSampleDescription, Exact = true }))
                .ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Structured_logs_show_the_three_step_lines_linked_to_their_spans()
    {
        var sample = await fixture.GetSampleAsync(DelayScale);

        await browser.RunSignedInAsync(fixture.DashboardLoginUrl, output, async page =>
        {
            await page.GotoAsync($"/structuredlogs?traceId={sample.TraceId}");

            foreach (var step in sample.Steps)
            {
                var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{step.Name} done." });
                await Expect(row).ToBeVisibleAsync();
                await Expect(row.GetByRole(AriaRole.Gridcell, new() { Name = Api, Exact = true })).ToBeVisibleAsync();
                await Expect(row.GetByRole(AriaRole.Link))
                    .ToHaveAttributeAsync("href", $"/traces/detail/{sample.TraceId}?spanId={step.SpanId}");
            }

            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = new Regex(@"sample\d done\.") }))
                .ToHaveCountAsync(sample.Steps.Count);
            await TestArtifacts.ScreenshotAsync(page, "sample-logs");
        });
    }
}
