using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// AWS Signature Version 4 for one HTTP request, in the header form: canonical request, string to
/// sign, signing key, signature (AWS's "Create a signed AWS API request" steps; docs/aws-direct.md).
/// AWSSDK.Core's own signer works on the SDK's internal request type, not on an
/// <see cref="HttpRequestMessage"/>, so these few steps are written out here and checked against
/// AWS's published test vectors and botocore.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateHeader = "X-Amz-Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";
    public const string AuthorizationHeader = "Authorization";
    private const string HostHeader = "host";
    private const string Terminator = "aws4_request";
    private const string TimestampFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string DateFormat = "yyyyMMdd";

    /// <summary>The separator HttpClient writes between a header's values on one line.</summary>
    private const string WireValueSeparator = ", ";

    /// <summary>
    /// Headers left unsigned: Authorization carries the signature; User-Agent, Expect and
    /// X-Amzn-Trace-Id may be changed on the way (botocore leaves them out too).
    /// </summary>
    private static readonly HashSet<string> Unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        AuthorizationHeader, "User-Agent", "Expect", "X-Amzn-Trace-Id",
    };

    /// <summary>Framing that HttpClient itself writes after this runs: not taken from the request.</summary>
    private static readonly HashSet<string> Framing = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Connection", "Transfer-Encoding",
    };

    /// <summary>Adds Host, X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization to <paramref name="request"/>.</summary>
    /// <param name="request">The request as it will be sent.</param>
    /// <param name="payloadHash">The lower-case hex SHA-256 of exactly the body bytes that will be sent (<c>PayloadHash</c>).</param>
    /// <param name="credentials">The key pair, and the session token of temporary credentials.</param>
    /// <param name="scope">The service and region to sign for.</param>
    /// <param name="now">The signing time; AWS accepts a signature for 5 minutes.</param>
    public static void Sign(HttpRequestMessage request, string payloadHash, ImmutableCredentials credentials, AwsEndpoint scope, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var timestamp = now.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var date = now.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
        request.Headers.Host ??= uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        Replace(request, DateHeader, timestamp);
        Replace(request, SecurityTokenHeader, credentials.UseToken ? credentials.Token : null);

        var canonicalRequest = CanonicalRequest(request.Method.Method, uri, HeadersOf(request), payloadHash, out var signedHeaders);
        var credentialScope = $"{date}/{scope.Region}/{scope.Service}/{Terminator}";
        var signature = Signature(credentials.SecretKey, date, scope.Region, scope.Service, StringToSign(timestamp, credentialScope, canonicalRequest));
        Replace(request, AuthorizationHeader,
            $"{Algorithm} Credential={credentials.AccessKey}/{credentialScope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>The canonical request's payload hash of <paramref name="body"/>.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>The canonical request's payload hash of what <paramref name="body"/> reads.</summary>
    public static string PayloadHash(Stream body) => Hex(SHA256.HashData(body));

    /// <summary>The canonical request's payload hash of what <paramref name="body"/> reads.</summary>
    public static async ValueTask<string> PayloadHashAsync(Stream body, CancellationToken cancellationToken) =>
        Hex(await SHA256.HashDataAsync(body, cancellationToken).ConfigureAwait(false));

    /// <summary>Every header of <paramref name="request"/> as it goes on the wire: one line each, values joined.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> HeadersOf(HttpRequestMessage request)
    {
        var headers = request.Headers.NonValidated.AsEnumerable();
        if (request.Content is { } content)
        {
            headers = headers.Concat(content.Headers.NonValidated);
        }

        return headers
            .Where(header => !Framing.Contains(header.Key))
            .Select(header => KeyValuePair.Create(header.Key, string.Join(WireValueSeparator, header.Value)));
    }

    /// <summary>
    /// The canonical request. Header names are lower-cased and sorted, values trimmed with inner runs
    /// of spaces collapsed, repeated names joined with commas; <paramref name="signedHeaders"/> lists them.
    /// </summary>
    internal static string CanonicalRequest(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        var canonicalHeaders = headers
            .Where(header => !Unsigned.Contains(header.Key))
            .GroupBy(header => header.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => (Name: group.Key, Value: string.Join(',', group.Select(header => Collapse(header.Value)))))
            .ToList();
        signedHeaders = string.Join(';', canonicalHeaders.Select(header => header.Name));

        var builder = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        return builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash).ToString();
    }

    /// <summary>
    /// The path as sent, each segment URI-encoded once more: every AWS service but S3 encodes the
    /// path twice (the OTLP paths, <c>/v1/traces</c> and so on, read the same either way).
    /// </summary>
    internal static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        return path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Encode));
    }

    /// <summary>Query parameters sorted by name, then value, each name and value URI-encoded once.</summary>
    internal static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&')
            .Select(parameter => parameter.Split('=', 2))
            .Select(parts => (Name: Encode(Uri.UnescapeDataString(parts[0])), Value: parts.Length > 1 ? Encode(Uri.UnescapeDataString(parts[1])) : string.Empty))
            .OrderBy(parameter => parameter.Name, StringComparer.Ordinal)
            .ThenBy(parameter => parameter.Value, StringComparer.Ordinal)
            .Select(parameter => $"{parameter.Name}={parameter.Value}"));
    }

    internal static string StringToSign(string timestamp, string credentialScope, string canonicalRequest) =>
        $"{Algorithm}\n{timestamp}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>HMAC-SHA256 of the string to sign with the key derived from the secret, date, region and service.</summary>
    internal static string Signature(string secretKey, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, Terminator);
        return Hex(Hmac(key, stringToSign));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static void Replace(HttpRequestMessage request, string name, string? value)
    {
        request.Headers.Remove(name);
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters, in upper-case hex.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
