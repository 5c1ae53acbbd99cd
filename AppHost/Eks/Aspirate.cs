namespace AppHost.Eks;

/// <summary>
/// Aspirate (<c>dotnet tool install -g aspirate</c>), the community tool that turns an Aspire manifest
/// into kustomize manifests. Found as a user's machine has it: <c>aspirate</c> on PATH, else the
/// <c>ASPIRATE</c> variable, else <c>../shared/tools/aspirate/aspirate</c> beside the repository (CI).
/// </summary>
internal static class Aspirate
{
    public const string CommandName = "aspirate";
    public const string PathVariable = "ASPIRATE";

    /// <summary>The shared build CI keeps beside the repository, relative to its root.</summary>
    public static readonly string SharedRelativePath = Path.Combine("..", "shared", "tools", "aspirate", "aspirate");

    /// <summary>The Aspirate executable to run.</summary>
    /// <param name="repositoryRoot">The folder that holds AppHost/.</param>
    /// <param name="path">The PATH value to search.</param>
    /// <param name="variable">The ASPIRATE value.</param>
    /// <exception cref="EksBundleException">No Aspirate anywhere.</exception>
    public static string Locate(string repositoryRoot, string? path, string? variable)
    {
        var onPath = (path ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(folder => Path.Combine(folder, CommandName))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        if (!string.IsNullOrWhiteSpace(variable))
        {
            return File.Exists(variable)
                ? Path.GetFullPath(variable)
                : throw new EksBundleException($"{PathVariable} is '{variable}', which is not a file. Point it at the aspirate executable, or unset it.");
        }

        var shared = Path.GetFullPath(Path.Combine(repositoryRoot, SharedRelativePath));
        return File.Exists(shared)
            ? shared
            : throw new EksBundleException(
                $"Aspirate not found: no '{CommandName}' on PATH, no {PathVariable} variable, and no {shared}. " +
                $"Install it with 'dotnet tool install -g aspirate', or set {PathVariable} to its executable.");
    }

    /// <summary>
    /// Runs <c>aspirate generate</c> without questions on <paramref name="manifestPath"/>: no build, no
    /// secrets, no state file, no dashboard, images pulled only when missing.
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
            cancellationToken);
}
