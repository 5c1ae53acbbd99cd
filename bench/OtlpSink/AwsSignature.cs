namespace OtlpSink;

/// <summary>How an export request addressed AWS: not at all, or to an AWS host name with or without a SigV4 signature.</summary>
internal enum AwsAddressing
{
    NotAws,
    Unsigned,
    Signed,
}

/// <summary>
/// Tells the benchmark's signed-for-AWS requests (sent to AWS's host names, which resolve to this sink
/// for that one process) from the rest, so the report can say how many of them were really signed.
/// The signature itself is not verified here (the tests check it with botocore); a request counts
/// as signed when it carries what ServiceDefaults' signer adds, scoped to the host it was sent to.
/// </summary>
internal static class AwsSignature
{
    private const string AwsDomain = ".amazonaws.com";

    public static AwsAddressing Of(HttpRequest request)
    {
        // Host is e.g. xray.us-east-1.amazonaws.com: the SigV4 service, then the region.
        var host = request.Host.Host;
        if (!host.EndsWith(AwsDomain, StringComparison.OrdinalIgnoreCase))
        {
            return AwsAddressing.NotAws;
        }

        var labels = host.Split('.');
        var scope = $"/{labels[1]}/{labels[0]}/aws4_request,";
        var authorization = request.Headers.Authorization.ToString();
        var signed = authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal)
            && authorization.Contains(scope, StringComparison.Ordinal)
            && request.Headers.ContainsKey("X-Amz-Date")
            && request.Headers.ContainsKey("X-Amz-Security-Token");
        return signed ? AwsAddressing.Signed : AwsAddressing.Unsigned;
    }
}
