namespace AppHost.Eks;

/// <summary>
/// Writes the EKS bundle: Aspirate's output and the rendered files go to a staging folder beside the
/// target first, and only when all of it succeeded are the owned folders swapped in. A failure
/// leaves the target exactly as it was.
/// </summary>
internal static class EksBundleWriter
{
    private const string ManifestFile = "aspire-manifest.json";

    /// <summary>Regenerates <paramref name="target"/>'s owned folders from the app model and settings.</summary>
    /// <param name="target">The bundle folder (usually <c>manifests/</c>).</param>
    /// <param name="app">What the bundle reads from the app model.</param>
    /// <param name="settings">The validated settings.</param>
    /// <param name="aspirate">The Aspirate executable.</param>
    /// <param name="appHostDirectory">The AppHost project folder, for the Aspire manifest.</param>
    /// <param name="cancellationToken">Stops the tools it runs.</param>
    public static async Task WriteAsync(
        string target, EksAppModel app, EksSettings settings, string aspirate, string appHostDirectory, CancellationToken cancellationToken)
    {
        target = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(target) ?? throw new InvalidOperationException($"'{target}' has no parent folder.");
        Directory.CreateDirectory(parent);

        // Beside the target, so the swap is a rename on the same file system.
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var fresh = Path.Combine(staging, "new");
        var previous = Path.Combine(staging, "old");
        try
        {
            Directory.CreateDirectory(fresh);
            Directory.CreateDirectory(previous);
            // One Aspire manifest per shape of the model: the collector routes', and the direct route's (no collector,
            // the projects' OTLP settings pointing at AWS), each turned into its own untouched base by Aspirate.
            foreach (var (baseFolder, routeArguments) in new[]
            {
                (EksBundle.BaseFolder, Array.Empty<string>()),
                (EksBundle.DirectBaseFolder, DirectRoute.ManifestArguments(settings)),
            })
            {
                var manifest = Path.Combine(staging, $"{baseFolder}-{ManifestFile}");
                await AspireManifest.WriteAsync(appHostDirectory, settings.Region, manifest, routeArguments, cancellationToken);
                await Aspirate.GenerateAsync(aspirate, manifest, Path.Combine(fresh, baseFolder), settings.ImageRegistry, cancellationToken);
            }

            foreach (var (path, content) in EksBundle.Render(app, settings))
            {
                var file = Path.Combine(fresh, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, content, cancellationToken);
            }

            Directory.CreateDirectory(target);
            Swap(target, fresh, previous);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Moves each owned folder of the target aside, then the new one in; undoes every move on failure.</summary>
    private static void Swap(string target, string fresh, string previous)
    {
        var done = new Stack<string>();
        try
        {
            foreach (var folder in EksBundle.OwnedFolders)
            {
                var current = Path.Combine(target, folder);
                if (Directory.Exists(current))
                {
                    Directory.Move(current, Path.Combine(previous, folder));
                }

                done.Push(folder);
                Directory.Move(Path.Combine(fresh, folder), current);
            }
        }
        catch
        {
            foreach (var folder in done)
            {
                var current = Path.Combine(target, folder);
                if (Directory.Exists(current) && !Directory.Exists(Path.Combine(fresh, folder)))
                {
                    Directory.Move(current, Path.Combine(fresh, folder));
                }

                if (Directory.Exists(Path.Combine(previous, folder)))
                {
                    Directory.Move(Path.Combine(previous, folder), current);
                }
            }

            throw;
        }
    }
}
