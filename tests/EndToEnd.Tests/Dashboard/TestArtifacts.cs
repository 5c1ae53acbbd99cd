using Microsoft.Playwright;

namespace EndToEnd.Tests.Dashboard;

/// <summary>
/// Where the browser tests leave pictures: every screenshot and, on a failure, the page's HTML go to
/// <c>tests/EndToEnd.Tests/TestResults/browser/</c> beside the test results; with
/// <c>UPDATE_DOCS_IMAGES=1</c> the documentation's screenshots in <c>docs/images/</c> are replaced too.
/// </summary>
public static class TestArtifacts
{
    public const string UpdateDocsImagesVariable = "UPDATE_DOCS_IMAGES";

    public static string Folder { get; } = Path.Combine(RepositoryPaths.TestProject, "TestResults", "browser");

    public static string DocsImagesFolder { get; } = Path.Combine(RepositoryPaths.Root, "docs", "images");

    /// <summary>Whether this run regenerates the documentation's screenshots.</summary>
    public static bool UpdateDocsImages => Environment.GetEnvironmentVariable(UpdateDocsImagesVariable) == "1";

    /// <summary>Screenshots the page as <paramref name="name"/>.png, and into docs/images when asked to.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{name}.png");
        // No hover highlight from the last click in the picture.
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = path });
        if (UpdateDocsImages)
        {
            Directory.CreateDirectory(DocsImagesFolder);
            File.Copy(path, Path.Combine(DocsImagesFolder, $"{name}.png"), overwrite: true);
        }
    }

    /// <summary>Saves the page's screenshot and HTML as they were when the test failed; returns the paths.</summary>
    public static async Task<IReadOnlyList<string>> SaveFailureAsync(IPage page, string testName)
    {
        Directory.CreateDirectory(Folder);
        var screenshot = Path.Combine(Folder, $"{testName}.failed.png");
        var html = Path.Combine(Folder, $"{testName}.failed.html");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        await File.WriteAllTextAsync(html, await page.ContentAsync());
        return [screenshot, html];
    }
}
