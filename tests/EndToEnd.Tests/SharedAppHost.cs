namespace EndToEnd.Tests;

/// <summary>Every test class in this collection shares one started AppHost in its default settings.</summary>
[CollectionDefinition(Name)]
public class SharedAppHost : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
