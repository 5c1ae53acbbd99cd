namespace Aspire.Hosting;

/// <summary>Reads a setting that names an enum member.</summary>
internal static class SettingNames
{
    /// <summary>
    /// The member named <paramref name="value"/> (trimmed, in any case), or null. Matched by name:
    /// <c>Enum.TryParse</c> would also accept numbers such as "1".
    /// </summary>
    public static T? Match<T>(string value)
        where T : struct, Enum
    {
        foreach (var member in Enum.GetValues<T>())
        {
            if (string.Equals(member.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return member;
            }
        }

        return null;
    }
}
