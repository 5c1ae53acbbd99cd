namespace AppHost.Tests.Eks;

/// <summary>Every file under a folder, by forward-slash relative path, with its bytes.</summary>
internal static class FolderSnapshot
{
    public static SortedDictionary<string, byte[]> Take(string folder) =>
        new(
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
                file => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'),
                File.ReadAllBytes),
            StringComparer.Ordinal);

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>, which must not exist.</summary>
    public static void Copy(string source, string target)
    {
        foreach (var (path, bytes) in Take(source))
        {
            var file = Path.Combine(target, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
        }
    }
}
