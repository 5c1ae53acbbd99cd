using Microsoft.Extensions.Configuration;

namespace ServiceDefaults.Tests;

internal static class TestConfiguration
{
    /// <summary>A configuration holding exactly <paramref name="settings"/>.</summary>
    public static IConfiguration Of(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value))
            .Build();
}
