namespace EndToEnd.Tests.Docs;

/// <summary>
/// A shell command from a fenced <c>sh</c> block of the README or docs/, with the output lines the
/// page shows right under it (<c># …</c>; a trailing <c>…</c> means "and more").
/// </summary>
public sealed record DocCommand(string File, string Command, IReadOnlyList<string> ShownOutput)
{
    private const string Fence = "```";

    // docs/deploy-eks.md runs against a real AWS account: its commands are the EKS guide's own to check.
    private static readonly string[] NotCheckedHere = ["deploy-eks.md"];

    public static IReadOnlyList<DocCommand> All { get; } = Load();

    public override string ToString() => $"{File}: {Command}";

    private static List<DocCommand> Load()
    {
        var root = RepositoryPaths.Root;
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Where(file => !NotCheckedHere.Contains(Path.GetFileName(file)));
        return [.. files.SelectMany(file => Parse(Path.GetRelativePath(root, file), System.IO.File.ReadAllLines(file)))];
    }

    private static IEnumerable<DocCommand> Parse(string file, string[] lines)
    {
        var inShell = false;
        DocCommand? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith(Fence, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    yield return current;
                    current = null;
                }

                inShell = !inShell && line is "```sh" or "```bash";
                continue;
            }

            if (!inShell || line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal) && current is not null)
            {
                current = current with { ShownOutput = [.. current.ShownOutput, line[2..].Split('…')[0]] };
                continue;
            }

            if (current is not null)
            {
                yield return current;
            }

            // A comment after the command explains it; it is not part of it.
            current = new DocCommand(file, line.Split(" # ")[0].TrimEnd(), []);
        }
    }
}
