using Microsoft.Extensions.Configuration;

namespace AppHost.Eks;

/// <summary>
/// Aspirate (<c>dotnet tool install -g aspirate</c>), the community tool that turns an Aspire manifest
/// into kustomize manifests. Found as a user's machine has it: <c>aspirate</c> on PATH (on Windows
/// <c>aspirate.exe</c>, through PATHEXT), else the file the <c>ASPIRATE</c> variable names.
/// </summary>
internal static class Aspirate
{
    public const string CommandName = "aspirate";
    public const string PathVariable = "ASPIRATE";
    public const string SearchPathVariable = "PATH";
    public const string WindowsExtensionsVariable = "PATHEXT";
    public const string InstallCommand = "dotnet tool install -g aspirate --allow-roll-forward";

    /// <summary>
    /// The published tool targets net9.0 and does not roll forward by itself: on a machine with only a
    /// newer runtime it would not start. <c>Major</c> still prefers a net9 runtime when one is installed.
    /// </summary>
    public const string RollForwardVariable = "DOTNET_ROLL_FORWARD";
    public const string RollForwardPolicy = "Major";

    // What Windows tries when PATHEXT is unset.
    private const string DefaultWindowsExtensions = ".COM;.EXE;.BAT;.CMD";

    /// <summary>The Aspirate executable, from the AppHost's configuration (which holds the environment).</summary>
    /// <exception cref="EksBundleException">No Aspirate on PATH and no (or a wrong) ASPIRATE.</exception>
    public static string Locate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Locate(configuration[SearchPathVariable], configuration[WindowsExtensionsVariable], configuration[PathVariable], OperatingSystem.IsWindows());
    }

    /// <summary>The Aspirate executable: the first on <paramref name="path"/>, else <paramref name="variable"/>.</summary>
    /// <param name="path">The PATH value to search.</param>
    /// <param name="windowsExtensions">PATHEXT, the executable extensions Windows tries.</param>
    /// <param name="variable">The ASPIRATE value.</param>
    /// <param name="isWindows">Whether PATH is Windows' (';'-separated, names with extensions).</param>
    /// <exception cref="EksBundleException">No Aspirate on PATH and no (or a wrong) ASPIRATE.</exception>
    internal static string Locate(string? path, string? windowsExtensions, string? variable, bool isWindows)
    {
        string[] names = isWindows
            ? [.. (string.IsNullOrWhiteSpace(windowsExtensions) ? DefaultWindowsExtensions : windowsExtensions)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(extension => CommandName + extension.ToLowerInvariant())]
            : [CommandName];
        var onPath = (path ?? string.Empty)
            .Split(isWindows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(folder => names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        if (string.IsNullOrWhiteSpace(variable))
        {
            throw new EksBundleException(
                $"Aspirate not found: no '{CommandName}' on PATH and no {PathVariable} variable. " +
                $"Install it with '{InstallCommand}', or set {PathVariable} to its executable.");
        }

        return File.Exists(variable)
            ? Path.GetFullPath(variable)
            : throw new EksBundleException($"{PathVariable} is '{variable}', which is not a file. Point it at the aspirate executable, or unset it.");
    }

    /// <summary>
    /// Runs <c>aspirate generate</c> without questions on <paramref name="manifestPath"/>: no build, no
    /// secrets, no state file, no dashboard, images pulled only when missing; on any .NET runtime from 9 up.
    /// </summary>
    public static Task GenerateAsync(
        string aspirate, string manifestPath, string outputPath, string containerRegistry, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(
            aspirate,
            [
                "generate", "--non-interactive", "--skip-build", "--disable-secrets", "--disable-state",
                "--include-dashboard", "false", "--image-pull-policy", "IfNotPresent",
                "--container-registry", containerRegistry,
                "-m", manifestPath, "--output-path", outputPath,
            ],
            // Aspirate resolves the manifest's relative project paths from the folder it runs in.
            Path.GetDirectoryName(manifestPath)!,
            cancellationToken,
            new Dictionary<string, string?> { [RollForwardVariable] = RollForwardPolicy });
}
