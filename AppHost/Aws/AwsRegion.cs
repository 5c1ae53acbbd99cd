using System.Text.RegularExpressions;

namespace Aspire.Hosting;

/// <summary>Checks the shape of an AWS region name.</summary>
internal static partial class AwsRegion
{
    /// <summary>
    /// True for names like <c>us-east-1</c>, <c>eu-west-2</c>, <c>us-gov-west-1</c>,
    /// <c>cn-north-1</c> or <c>eusc-de-east-1</c>: a lower-case partition prefix, words, a number.
    /// </summary>
    public static bool IsValid(string region) => RegionPattern().IsMatch(region);

    [GeneratedRegex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
