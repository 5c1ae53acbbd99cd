namespace EndToEnd.Tests;

/// <summary>Folders of the checkout the tests run from, found by walking up from the test binaries.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root (where Aspire.sln is).</summary>
    public static string Root { get; } = FolderAbove("Aspire.sln");

    /// <summary>This test project's folder.</summary>
    public static string TestProject { get; } = FolderAbove("EndToEnd.Tests.csproj");

    private static string FolderAbove(string marker)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, marker)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No {marker} above {AppContext.BaseDirectory}.");
    }
}
