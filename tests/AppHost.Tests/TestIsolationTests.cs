using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.UserSecrets;
using TestSupport;

namespace AppHost.Tests;

/// <summary>Guards the isolation every AppHost test relies on, so a run never depends on an earlier one.</summary>
public class TestIsolationTests
{
    [Fact]
    public async Task The_apphost_under_test_neither_reads_nor_writes_the_developers_user_secrets()
    {
        var appHostSecretsId = typeof(AdotCollectorResource).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId;
        var developersStore = PathHelper.GetSecretsPathFromSecretsId(appHostSecretsId);
        var isolatedStore = PathHelper.GetSecretsPathFromSecretsId(IsolatedAppHost.UserSecretsId);

        var builder = await AppModel.CreateAsync();

        var configurationFiles = ((IConfigurationBuilder)builder.Configuration).Sources
            .OfType<FileConfigurationSource>()
            .Select(source => source.FileProvider?.GetFileInfo(source.Path!).PhysicalPath)
            .ToList();
        // Where the developer has a store, reading it would show here as its path.
        Assert.DoesNotContain(developersStore, configurationFiles);
        // Generated keys and the version check would be written here.
        Assert.Equal(isolatedStore, builder.UserSecretsManager.FilePath);
    }
}
