using TestSupport;

namespace EndToEnd.Tests.AspireCli;

/// <summary>A fresh clone of the commit under test in a temporary folder, as a newcomer gets it; deleted on dispose.</summary>
public sealed class ClonedRepository : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("aspire-run-").FullName;

    private ClonedRepository() => Root = Path.Combine(_parent, "repo");

    /// <summary>The clone's root folder.</summary>
    public string Root { get; }

    /// <summary>Clones the commit the tests were built from (HEAD of the checkout they run in).</summary>
    public static async Task<ClonedRepository> CloneAsync()
    {
        var clone = new ClonedRepository();
        var head = (await Git(RepositoryPaths.Root, "rev-parse", "HEAD")).Trim();
        await Git(clone._parent, "clone", "--quiet", "--no-checkout", RepositoryPaths.Root, clone.Root);
        await Git(clone.Root, "checkout", "--quiet", head);
        return clone;
    }

    /// <summary><c>git status --porcelain</c> of the clone: one line per untracked or changed file, ignored ones aside.</summary>
    public Task<string> StatusAsync() => Git(Root, "status", "--porcelain", "--untracked-files=all");

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    private static async Task<string> Git(string workingDirectory, params string[] args)
    {
        var (exitCode, output) = await ChildProcess.RunAsync("git", args, workingDirectory, new Dictionary<string, string?>());
        return exitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} exited with {exitCode}: {output}");
    }
}
