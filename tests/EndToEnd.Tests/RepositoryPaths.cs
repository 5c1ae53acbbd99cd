using TestSupport;

namespace EndToEnd.Tests;

/// <summary>Folders of the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root (where Aspire.sln is).</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>This test project's folder.</summary>
    public static string TestProject => Path.Combine(Root, "tests", "EndToEnd.Tests");
}
