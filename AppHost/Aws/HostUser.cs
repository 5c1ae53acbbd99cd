using System.Globalization;

namespace Aspire.Hosting;

/// <summary>
/// The uid and gid this process runs as on Linux, read from <c>/proc/self/status</c> (no native call
/// needed). A container started as this user reads the user's 0600 files in a bind mount.
/// </summary>
internal static class HostUser
{
    private const string StatusFile = "/proc/self/status";

    /// <summary><c>uid:gid</c> on Linux; null elsewhere, or when the file cannot be read.</summary>
    public static string? UidGid()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(StatusFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(StatusFile);
        return Parse(lines, "Uid:") is { } uid && Parse(lines, "Gid:") is { } gid ? $"{uid}:{gid}" : null;
    }

    // "Uid:\t1000\t1000\t1000\t1000": real, effective, saved, filesystem; the effective id decides access.
    private static string? Parse(string[] lines, string key)
    {
        var fields = lines.FirstOrDefault(line => line.StartsWith(key, StringComparison.Ordinal))
            ?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 2 } && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? fields[2] : null;
    }
}
