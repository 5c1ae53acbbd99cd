using System.Diagnostics;
using AppHost.Eks;
using Xunit.Abstractions;

namespace AppHost.Tests.Eks;

/// <summary>The committed <c>manifests/</c> is exactly what the documented command writes today.</summary>
[Collection(EksStep.CollectionName)]
public sealed class EksBundleDriftTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eks-drift-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Regenerated_bundle_is_byte_for_byte_the_committed_manifests_and_nothing_else_is_touched()
    {
        // The target already holds a file of the user's and a stale file in an owned folder.
        var target = Path.Combine(_folder, "manifests");
        var ownFile = Path.Combine(target, "notes.md");
        var staleFile = Path.Combine(target, EksBundle.EksFolder, "stale.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(staleFile)!);
        await File.WriteAllTextAsync(ownFile, "mine");
        await File.WriteAllTextAsync(staleFile, "old");
        var stopwatch = Stopwatch.StartNew();

        // Needs Aspirate: on PATH, in ASPIRATE, or ../shared/tools/aspirate/aspirate; without it the step's message is the failure.
        var (exitCode, errors) = await EksStep.RunAsync(target);

        output.WriteLine($"eks-manifests step (AppHost manifest + aspirate + rendering): {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(exitCode == 0 && errors.Length == 0, string.Join('\n', errors));
        Assert.Equal("mine", await File.ReadAllTextAsync(ownFile));
        File.Delete(ownFile);
        var expected = FolderSnapshot.Take(Repository.Manifests);
        var actual = FolderSnapshot.Take(target);
        Assert.Equal(expected.Keys, actual.Keys);
        var changed = expected.Keys.Where(path => !expected[path].AsSpan().SequenceEqual(actual[path])).ToList();
        Assert.True(changed.Count == 0, $"Regenerate with `{EksBundle.Command}` and commit; these differ: {string.Join(", ", changed)}");
        // The staging folder beside the target is gone.
        Assert.Equal(["manifests"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }
}
