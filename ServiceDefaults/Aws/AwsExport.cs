using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which exported signals go straight to AWS, read from the standard settings once at startup, and
/// the mistakes AWS would only answer with a refusal, caught there with the setting and the fix.
/// </summary>
internal sealed class AwsExport
{
    /// <summary>The CloudWatch Logs log group an OTLP logs request writes to (it must exist).</summary>
    public const string LogGroupHeader = "x-aws-log-group";

    /// <summary>The CloudWatch Logs log stream an OTLP logs request writes to (it must exist).</summary>
    public const string LogStreamHeader = "x-aws-log-stream";

    private AwsExport(IReadOnlyDictionary<string, AwsEndpoint> endpoints, bool needsCredentials)
    {
        Endpoints = endpoints;
        NeedsCredentials = needsCredentials;
    }

    /// <summary>Each signal sent to AWS, with the service and region its requests are signed for.</summary>
    public IReadOnlyDictionary<string, AwsEndpoint> Endpoints { get; }

    /// <summary>True when some signal to AWS is signed with SigV4 rather than sent with an API key.</summary>
    public bool NeedsCredentials { get; }

    /// <summary>The AWS side of <paramref name="exported"/>; null when no signal goes to AWS.</summary>
    /// <exception cref="InvalidOperationException">A signal goes to AWS in a way AWS refuses.</exception>
    public static AwsExport? From(IConfiguration configuration, IReadOnlySet<string> exported)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = new Dictionary<string, AwsEndpoint>(StringComparer.Ordinal);
        var needsCredentials = false;
        foreach (var signal in TelemetrySignals.All.Where(exported.Contains))
        {
            if (!AwsEndpoint.TryParse(OtlpSignalOptions.EndpointOf(configuration, signal), out var endpoint))
            {
                continue;
            }

            var host = $"{endpoint.Service}.{endpoint.Region}.amazonaws.com";
            var protocol = OtlpSignalOptions.ProtocolOf(configuration, signal);
            if (!string.Equals(protocol, OtlpSignalOptions.HttpProtobuf, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{Capitalized(signal)} go to {host}, which takes OTLP only over HTTP, but the protocol is '{protocol}'. " +
                    $"Set {TelemetrySignals.SignalSetting(signal, "PROTOCOL")}={OtlpSignalOptions.HttpProtobuf} " +
                    $"(or {OtlpSignalOptions.ProtocolSetting}={OtlpSignalOptions.HttpProtobuf} for every signal).");
            }

            var headers = HeaderNames(OtlpSignalOptions.HeadersOf(configuration, signal));
            if (endpoint.Service == AwsEndpoint.Logs && !(headers.Contains(LogGroupHeader) && headers.Contains(LogStreamHeader)))
            {
                throw new InvalidOperationException(
                    $"{Capitalized(signal)} go to {host}, which needs the log group and stream to write to. Set " +
                    $"{TelemetrySignals.SignalSetting(signal, "HEADERS")}={LogGroupHeader}=<group>,{LogStreamHeader}=<stream> " +
                    "naming a group and stream that exist.");
            }

            needsCredentials |= !headers.Contains(SigV4.AuthorizationHeader);
            endpoints[signal] = endpoint;
        }

        return endpoints.Count == 0 ? null : new AwsExport(endpoints, needsCredentials);
    }

    /// <summary>The names in an OTLP headers setting (<c>name=value,name=value</c>); header names ignore case.</summary>
    private static HashSet<string> HeaderNames(string? headers) =>
        (headers ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string Capitalized(string signal) => char.ToUpperInvariant(signal[0]) + signal[1..];
}
