namespace EndToEnd.Tests.AspireCli;

/// <summary>A fresh clone with its local tools restored (<c>dotnet tool restore</c>), shared by the CLI tests of one class.</summary>
public sealed class RestoredClone : IAsyncLifetime
{
    private ClonedRepository? _clone;

    public ClonedRepository Clone => _clone ?? throw new InvalidOperationException("Not cloned yet.");

    /// <summary>The CLI in the clone; every process it starts carries the session's marker.</summary>
    public AspireCliSession Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _clone = await ClonedRepository.CloneAsync();
        Cli = new AspireCliSession(_clone);
        var (exitCode, output) = await Cli.DotnetAsync("tool", "restore");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool restore exited with {exitCode}:\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        _clone?.Dispose();
        return Task.CompletedTask;
    }
}
