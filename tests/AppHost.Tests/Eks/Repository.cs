namespace AppHost.Tests.Eks;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder that holds Aspire.sln, found upwards from the test's bin folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The committed EKS bundle.</summary>
    public static string Manifests => Path.Combine(Root, "manifests");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
