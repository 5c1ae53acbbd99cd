using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// An AWS OTLP endpoint, known by its host: <c>xray.{region}.amazonaws.com</c> (traces),
/// <c>logs.{region}.amazonaws.com</c> (logs) and <c>monitoring.{region}.amazonaws.com</c> (metrics).
/// The host's first label is also the SigV4 service name (docs/aws-direct.md cites each).
/// </summary>
/// <param name="Service">The SigV4 service name: <c>xray</c>, <c>logs</c> or <c>monitoring</c>.</param>
/// <param name="Region">The region the host names, e.g. <c>eu-west-2</c>.</param>
internal readonly partial record struct AwsEndpoint(string Service, string Region)
{
    /// <summary>X-Ray's OTLP traces endpoint and SigV4 service.</summary>
    public const string XRay = "xray";

    /// <summary>CloudWatch Logs' OTLP logs endpoint and SigV4 service.</summary>
    public const string Logs = "logs";

    /// <summary>CloudWatch's OTLP metrics endpoint and SigV4 service.</summary>
    public const string Monitoring = "monitoring";

    /// <summary>Reads <paramref name="uri"/>'s host; false for any host that is not one of the three.</summary>
    public static bool TryParse([NotNullWhen(true)] Uri? uri, out AwsEndpoint endpoint)
    {
        endpoint = default;
        if (uri is null || !uri.IsAbsoluteUri || HostPattern().Match(uri.Host) is not { Success: true } match)
        {
            return false;
        }

        endpoint = new AwsEndpoint(match.Groups["service"].Value, match.Groups["region"].Value);
        return true;
    }

    // Region codes are lower-case words and a number, e.g. us-east-1, eu-west-2, us-gov-west-1.
    [GeneratedRegex(@"^(?<service>xray|logs|monitoring)\.(?<region>[a-z]{2}(-[a-z]+)+-[0-9]+)\.amazonaws\.com$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HostPattern();
}
