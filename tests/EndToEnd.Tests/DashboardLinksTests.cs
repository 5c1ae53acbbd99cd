using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace EndToEnd.Tests;

/// <summary>What the dashboard's Resources page offers on sampleapi, read from the running AppHost: its links and its command.</summary>
[Collection(SharedAppHost.Name)]
public partial class DashboardLinksTests(AutoModeWithoutRuntime fixture)
{
    private CustomResourceSnapshot Api =>
        fixture.App.ResourceNotifications.TryGetCurrentState(AppHostFixture.SampleApi, out var state)
            ? state.Snapshot
            : throw new InvalidOperationException("sampleapi has no state.");

    [Fact]
    public async Task Sampleapi_links_to_GET_sample_and_its_no_wait_form_and_keeps_its_home_in_the_details()
    {
        var links = Api.Urls.Where(url => !url.IsInactive).ToDictionary(url => url.DisplayProperties.DisplayName);

        var sample = links[SampleApiDashboardExtensions.SampleLinkText];
        var noWait = links[SampleApiDashboardExtensions.SampleWithoutDelaysLinkText];
        var home = links[SampleApiDashboardExtensions.HomeLinkText];
        Assert.Equal(3, links.Count);
        Assert.Equal(new Uri(new Uri(home.Url), "/sample"), new Uri(sample.Url));
        Assert.Equal(new Uri(new Uri(home.Url), "/sample?delayScale=0"), new Uri(noWait.Url));
        Assert.False(sample.IsInternal);
        Assert.False(noWait.IsInternal);
        Assert.True(home.IsInternal, "the API's root is listed in the details only");

        using var client = new HttpClient();
        Assert.Contains("\"traceId\"", await client.GetStringAsync(noWait.Url), StringComparison.Ordinal);
        Assert.Contains("href=\"/sample\"", await client.GetStringAsync(home.Url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_sample_command_makes_one_request_and_names_the_trace_the_dashboard_shows()
    {
        Assert.Contains(Api.Commands, command =>
            command.Name == SampleApiDashboardExtensions.CallSampleCommand &&
            command.DisplayName == SampleApiDashboardExtensions.CallSampleDisplayName);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync(
            AppHostFixture.SampleApi, SampleApiDashboardExtensions.CallSampleCommand);

        Assert.True(result.Success, result.Message);
        var message = ReportedTrace().Match(result.Message ?? "");
        Assert.True(message.Success, result.Message);
        var traceId = message.Groups["id"].Value;
        Assert.Equal($"{fixture.Dashboard.BaseAddress}traces/detail/{traceId}", message.Groups["url"].Value);
        Assert.Equal(result.Message, result.Data?.Value);
        var spans = await fixture.Dashboard.WaitForSpansAsync(traceId, 4);
        var server = Assert.Single(spans, span => span.Kind == DashboardSpan.ServerKind);
        Assert.Equal("GET /sample", server.Name);
        Assert.Equal("", server.ParentSpanId);
        // The command sends no trace headers: the API starts the trace, time first, as X-Ray expects.
        Assert.InRange(Convert.ToInt64(traceId[..8], 16), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [GeneratedRegex(@"^Trace (?<id>[0-9a-f]{32}) \(X-Ray 1-[0-9a-f]{8}-[0-9a-f]{24}\): Traces shows it as 'sampleapi: GET /sample' \((?<url>[^)]+)\)\.$")]
    private static partial Regex ReportedTrace();
}
