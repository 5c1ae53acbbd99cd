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

    /// <summary>Each signal sent to AWS (by its standard endpoint, else by its copy), with the service and region its requests are signed for.</summary>
    public IReadOnlyDictionary<string, AwsEndpoint> Endpoints { get; }

    /// <summary>True when some signal to AWS is signed with SigV4 rather than sent with an API key.</summary>
    public bool NeedsCredentials { get; }

    /// <summary>The AWS side of <paramref name="exported"/> and their <paramref name="copies"/>; null when nothing goes to AWS.</summary>
    /// <exception cref="InvalidOperationException">A signal goes to AWS in a way AWS refuses.</exception>
    public static AwsExport? From(IConfiguration configuration, IReadOnlySet<string> exported, IReadOnlyDictionary<string, Uri>? copies = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = new Dictionary<string, AwsEndpoint>(StringComparer.Ordinal);
        var needsCredentials = false;
        foreach (var signal in TelemetrySignals.All.Where(exported.Contains))
        {
            var protocol = OtlpSignalOptions.ProtocolOf(configuration, signal);
            var fix = $"{TelemetrySignals.SignalSetting(signal, "PROTOCOL")}={OtlpSignalOptions.HttpProtobuf} " +
                $"(or {OtlpSignalOptions.ProtocolSetting}={OtlpSignalOptions.HttpProtobuf} for every signal)";
            if (Check(signal, OtlpSignalOptions.EndpointOf(configuration, signal), protocol, fix,
                OtlpSignalOptions.HeadersOf(configuration, signal), TelemetrySignals.SignalSetting(signal, "HEADERS"), ref needsCredentials) is { } endpoint)
            {
                endpoints[signal] = endpoint;
            }

            // A copy always goes over OTLP/HTTP, so only its headers can be wrong.
            if (copies?.GetValueOrDefault(signal) is { } copy
                && Check(signal, copy, OtlpSignalOptions.HttpProtobuf, "", OtlpCopy.HeadersOf(configuration, signal), OtlpCopy.LogsHeadersSetting, ref needsCredentials) is { } copyEndpoint)
            {
                endpoints.TryAdd(signal, copyEndpoint);
            }
        }

        return endpoints.Count == 0 ? null : new AwsExport(endpoints, needsCredentials);
    }

    /// <summary>The AWS endpoint <paramref name="uri"/> names, checked; null for any other host.</summary>
    private static AwsEndpoint? Check(string signal, Uri? uri, string protocol, string protocolFix, string? headers, string headersSetting, ref bool needsCredentials)
    {
        if (!AwsEndpoint.TryParse(uri, out var endpoint))
        {
            return null;
        }

        var host = $"{endpoint.Service}.{endpoint.Region}.amazonaws.com";
        if (!string.Equals(protocol, OtlpSignalOptions.HttpProtobuf, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{Capitalized(signal)} go to {host}, which takes OTLP only over HTTP, but the protocol is '{protocol}'. Set {protocolFix}.");
        }

        var names = HeaderNames(headers);
        if (endpoint.Service == AwsEndpoint.Logs && !(names.Contains(LogGroupHeader) && names.Contains(LogStreamHeader)))
        {
            throw new InvalidOperationException(
                $"{Capitalized(signal)} go to {host}, which needs the log group and stream to write to. Set " +
                $"{headersSetting}={LogGroupHeader}=<group>,{LogStreamHeader}=<stream> naming a group and stream that exist.");
        }

        needsCredentials |= !names.Contains(SigV4.AuthorizationHeader);
        return endpoint;
    }

    /// <summary>The names in an OTLP headers setting (<c>name=value,name=value</c>); header names ignore case.</summary>
    private static HashSet<string> HeaderNames(string? headers) =>
        (headers ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string Capitalized(string signal) => char.ToUpperInvariant(signal[0]) + signal[1..];
}
