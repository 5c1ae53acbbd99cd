using TestSupport;

namespace AppHost.Tests.Eks;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder that holds Aspire.sln.</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>The committed EKS bundle.</summary>
    public static string Manifests => Path.Combine(Root, "manifests");
}
