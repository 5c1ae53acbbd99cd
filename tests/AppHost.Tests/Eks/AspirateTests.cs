using AppHost.Eks;

namespace AppHost.Tests.Eks;

/// <summary>Aspirate is found the way a user's machine has it: PATH, then ASPIRATE, then the shared build beside the repository.</summary>
public sealed class AspirateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aspirate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Aspirate_on_path_wins_over_the_variable_and_the_shared_build()
    {
        var onPath = Touch("bin", "aspirate");
        var repository = RepositoryFolder("repo", withSharedBuild: true);

        Assert.Equal(onPath, Aspirate.Locate(repository, Path.GetDirectoryName(onPath), Touch("elsewhere", "aspirate")));
    }

    [Fact]
    public void Aspirate_variable_wins_over_the_shared_build()
    {
        var variable = Touch("elsewhere", "aspirate");

        Assert.Equal(variable, Aspirate.Locate(RepositoryFolder("repo", withSharedBuild: true), Path.Combine(_folder, "empty"), variable));
    }

    [Fact]
    public void Shared_build_beside_the_repository_is_the_last_resort()
    {
        var repository = RepositoryFolder("repo", withSharedBuild: true);

        Assert.Equal(Path.Combine(_folder, "shared", "tools", "aspirate", "aspirate"), Aspirate.Locate(repository, null, null));
    }

    [Fact]
    public void No_aspirate_anywhere_is_one_plain_message_with_the_install_command()
    {
        var error = Assert.Throws<EksBundleException>(() => Aspirate.Locate(RepositoryFolder("repo", withSharedBuild: false), null, null));

        Assert.StartsWith("Aspirate not found: no 'aspirate' on PATH, no ASPIRATE variable", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install -g aspirate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aspirate_variable_naming_no_file_is_refused_by_name()
    {
        var error = Assert.Throws<EksBundleException>(() =>
            Aspirate.Locate(RepositoryFolder("repo", withSharedBuild: true), null, Path.Combine(_folder, "missing")));

        Assert.StartsWith("ASPIRATE is '", error.Message, StringComparison.Ordinal);
    }

    private string Touch(params string[] path)
    {
        var file = Path.Combine([_folder, .. path]);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Empty);
        return file;
    }

    private string RepositoryFolder(string name, bool withSharedBuild)
    {
        if (withSharedBuild)
        {
            Touch("shared", "tools", "aspirate", "aspirate");
        }

        return Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
    }
}
