namespace EndToEnd.Tests;

/// <summary>Every test class in this collection shares one started AppHost (auto mode, no container runtime).</summary>
[CollectionDefinition(Name)]
public class SharedAppHost : ICollectionFixture<AutoModeWithoutRuntime>
{
    public const string Name = "AppHost";
}
