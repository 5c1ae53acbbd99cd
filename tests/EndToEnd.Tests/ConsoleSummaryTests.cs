using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace EndToEnd.Tests;

/// <summary>What a newcomer reads in the console after <c>dotnet run --project AppHost</c>, checked on the real run.</summary>
[Collection(SharedAppHost.Name)]
public partial class ConsoleSummaryTests(AutoModeWithoutRuntime fixture)
{
    private string Summary => Assert.Single(fixture.Logs, entry => entry.Category == "AppHost").Message;

    [Fact]
    public async Task The_curl_in_the_startup_summary_calls_the_running_api()
    {
        var url = CurlUrl().Match(Summary).Groups["url"].Value;

        using var client = new HttpClient();
        var body = await client.GetStringAsync(new Uri(url));

        Assert.Contains("\"traceId\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_startup_summary_names_the_dashboard_login_link_and_the_collector_and_X_Ray_state()
    {
        var lines = Summary.Split('\n');

        Assert.Contains($"Dashboard: {fixture.DashboardLoginUrl}", lines);
        Assert.Contains(lines, line => line.StartsWith("Collector: ADOT collector not started: no running Docker or Podman", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("AWS: off.", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_warns_about_a_development_certificate()
    {
        Assert.DoesNotContain(fixture.Logs, entry =>
            entry.Level >= LogLevel.Warning && entry.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex("^  curl '(?<url>http://[^']+/sample\\?delayScale=0)'$", RegexOptions.Multiline)]
    private static partial Regex CurlUrl();
}
