using AppHost.Eks;

namespace AppHost.Tests.Eks;

/// <summary>Aspirate is found the way a user's machine has it: PATH (with PATHEXT on Windows), then ASPIRATE.</summary>
public sealed class AspirateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aspirate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Aspirate_on_path_wins_over_the_variable()
    {
        var onPath = Touch("bin", "aspirate");

        Assert.Equal(onPath, Aspirate.Locate($"{Folder("empty")}:{Path.GetDirectoryName(onPath)}", null, Touch("elsewhere", "aspirate"), isWindows: false));
    }

    [Fact]
    public void On_windows_the_installed_aspirate_exe_is_found_through_pathext()
    {
        var shim = Touch("tools", "aspirate.exe");
        Touch("other", "aspirate");

        Assert.Equal(shim, Aspirate.Locate($"{Folder("other")};{Path.GetDirectoryName(shim)}", ".COM;.EXE;.BAT;.CMD", null, isWindows: true));
    }

    [Fact]
    public void On_windows_without_pathext_the_default_extensions_are_tried()
    {
        var shim = Touch("tools", "aspirate.exe");

        Assert.Equal(shim, Aspirate.Locate(Path.GetDirectoryName(shim), null, null, isWindows: true));
    }

    [Fact]
    public void Aspirate_variable_is_used_when_path_has_none()
    {
        var variable = Touch("elsewhere", "aspirate");

        Assert.Equal(variable, Aspirate.Locate(Folder("empty"), null, variable, isWindows: false));
    }

    [Fact]
    public void No_aspirate_anywhere_is_one_plain_message_with_the_install_command_that_rolls_forward()
    {
        var error = Assert.Throws<EksBundleException>(() => Aspirate.Locate(Folder("empty"), null, null, isWindows: false));

        Assert.Equal(
            "Aspirate not found: no 'aspirate' on PATH and no ASPIRATE variable. Install it with " +
            "'dotnet tool install -g aspirate --allow-roll-forward', or set ASPIRATE to its executable.",
            error.Message);
    }

    [Fact]
    public void Aspirate_variable_naming_no_file_is_refused_by_name()
    {
        var error = Assert.Throws<EksBundleException>(() => Aspirate.Locate(null, null, Path.Combine(_folder, "missing"), isWindows: false));

        Assert.StartsWith("ASPIRATE is '", error.Message, StringComparison.Ordinal);
    }

    private string Touch(params string[] path)
    {
        var file = Path.Combine([_folder, .. path]);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Empty);
        return file;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
}
