namespace AppHost.Tests.Eks;

/// <summary>A bad setting stops the command with one message naming it, and the previous bundle stays as it was.</summary>
[Collection(EksStep.CollectionName)]
public sealed class EksSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eks-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("AccountId", "12345")]
    [InlineData("Region", "mars-1")]
    [InlineData("ClusterName", "-starts-with-a-dash")]
    [InlineData("Namespace", "Upper_Case")]
    [InlineData("ImageRegistry", "https://registry.example.com")]
    [InlineData("ImageTag", ".hidden")]
    [InlineData("CollectorRoleName", "role/with/slashes")]
    [InlineData("DirectRoleName", "role/with/slashes")]
    [InlineData("ImageBuild", "Aot")]
    [InlineData("ImageBuild", "1")]
    [InlineData("LogGroup", "logs with spaces")]
    [InlineData("MetricsNamespace", "AWS/Reserved")]
    public async Task Bad_setting_stops_with_one_message_naming_it_and_leaves_the_previous_bundle(string setting, string value) =>
        await AssertRefusedAsync($"--Eks:{setting}={value}", $"Eks:{setting} is '{value}', which is not valid.");

    [Fact]
    public async Task Bad_trace_route_stops_with_one_message_naming_it_and_leaves_the_previous_bundle() =>
        await AssertRefusedAsync("--Eks:TraceExport=jaeger", "Eks:TraceExport is 'jaeger', which is not a trace route.");

    [Fact]
    public async Task Missing_setting_stops_with_one_message_naming_it_and_leaves_the_previous_bundle() =>
        await AssertRefusedAsync("--Eks:AccountId=", "Eks:AccountId is missing.");

    private async Task AssertRefusedAsync(string argument, string expectedStart)
    {
        // A previous bundle (the committed one) plus a file of the user's own.
        var target = Path.Combine(_folder, "manifests");
        FolderSnapshot.Copy(Repository.Manifests, target);
        await File.WriteAllTextAsync(Path.Combine(target, "notes.md"), "mine");
        var before = FolderSnapshot.Take(target);

        var (exitCode, errors, _) = await EksStep.RunAsync(target, argument);

        Assert.Equal(1, exitCode);
        var error = Assert.Single(errors);
        Assert.StartsWith($"EKS bundle not written: {expectedStart}", error, StringComparison.Ordinal);
        Assert.Contains("AppHost/appsettings.json", error, StringComparison.Ordinal);
        var after = FolderSnapshot.Take(target);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
        // No staging folder left beside it either.
        Assert.Equal(["manifests"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }
}
