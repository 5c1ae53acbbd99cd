namespace TestSupport;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds Aspire.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
