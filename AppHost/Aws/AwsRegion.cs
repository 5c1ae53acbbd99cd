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

    /// <summary>The IAM partition of a region: <c>aws</c>, <c>aws-cn</c> or <c>aws-us-gov</c>.</summary>
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>The host name of a service's regional endpoint, e.g. <c>xray.us-west-2.amazonaws.com</c>.</summary>
    public static string ServiceHost(string service, string region) =>
        $"{service}.{region}.{(Partition(region) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com")}";

    [GeneratedRegex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
