using System.Diagnostics;
using AppHost.Eks;
using Xunit.Abstractions;

namespace AppHost.Tests.Eks;

/// <summary>
/// The committed <c>manifests/</c> is exactly what the documented command writes today, with the Aspirate
/// the machine has and with the net9.0 build users install (which runs here only because the step rolls it forward).
/// </summary>
[Collection(EksStep.CollectionName)]
public sealed class EksBundleDriftTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The Aspirate the step finds itself: <c>aspirate</c> on PATH, else ASPIRATE.</summary>
    public const string InstalledAspirate = "installed";

    /// <summary>A net9.0 build of Aspirate, as <c>dotnet tool install -g aspirate</c> installs it; named by this variable.</summary>
    public const string Net9AspirateVariable = "ASPIRATE_NET9";

    private readonly string _folder = Directory.CreateTempSubdirectory("eks-drift-").FullName;

    public static TheoryData<string> AspirateBuilds => [InstalledAspirate, Net9AspirateVariable];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(AspirateBuilds))]
    public async Task Regenerated_bundle_is_byte_for_byte_the_committed_manifests_and_nothing_else_is_touched(string aspirate)
    {
        // The target already holds a file of the user's and a stale file in an owned folder.
        var target = Path.Combine(_folder, "manifests");
        var ownFile = Path.Combine(target, "notes.md");
        var staleFile = Path.Combine(target, EksBundle.EksFolder, "stale.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(staleFile)!);
        await File.WriteAllTextAsync(ownFile, "mine");
        await File.WriteAllTextAsync(staleFile, "old");
        var stopwatch = Stopwatch.StartNew();

        // Needs Aspirate: on PATH or in ASPIRATE (.ci/run sets both variables); without it the step's message is the failure.
        var (exitCode, errors, messages) = await EksStep.RunAsync(target, AspirateArguments(aspirate));

        output.WriteLine($"eks-manifests step (AppHost manifest + aspirate + rendering): {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(exitCode == 0 && errors.Length == 0, string.Join('\n', errors));
        if (aspirate == Net9AspirateVariable)
        {
            Assert.Contains(messages, message => message.EndsWith($"(Aspirate: {Path.GetFullPath(Net9Aspirate())}).", StringComparison.Ordinal));
        }

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

    /// <summary>For the net9.0 build: an empty PATH for the step, so ASPIRATE (this build) is the one it runs.</summary>
    private static string[] AspirateArguments(string aspirate) => aspirate == InstalledAspirate
        ? []
        : [$"--{Aspirate.SearchPathVariable}=", $"--{Aspirate.PathVariable}={Net9Aspirate()}"];

    private static string Net9Aspirate() =>
        Environment.GetEnvironmentVariable(Net9AspirateVariable) is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException(
                $"{Net9AspirateVariable} is not set: point it at a net9.0 build of Aspirate (what 'dotnet tool install -g aspirate' installs); " +
                ".ci/run sets it to ../shared/tools/aspirate-net9/aspirate.");
}
