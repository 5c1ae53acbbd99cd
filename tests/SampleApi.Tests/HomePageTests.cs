using System.Net;
using System.Text.RegularExpressions;

namespace SampleApi.Tests;

public partial class HomePageTests
{
    [Fact]
    public async Task Root_answers_a_page_whose_links_all_answer()
    {
        // No delays, so following the /sample link costs nothing.
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["Sample:Sample1Delay"] = "00:00:00",
                ["Sample:Sample2Delay"] = "00:00:00",
                ["Sample:Sample3Delay"] = "00:00:00",
            },
        };
        using var client = factory.CreateClient();

        using var home = await client.GetAsync("/");
        var page = await home.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("text/html", home.Content.Headers.ContentType?.MediaType);
        var links = Href().Matches(page).Select(match => WebUtility.HtmlDecode(match.Groups["path"].Value)).ToArray();
        Assert.Equal(["/sample", "/sample?delayScale=0", "/health", "/alive"], links);
        foreach (var link in links)
        {
            using var response = await client.GetAsync(link);
            Assert.True(response.IsSuccessStatusCode, $"{link} answered {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("<a href=\"(?<path>[^\"]+)\">")]
    private static partial Regex Href();
}
