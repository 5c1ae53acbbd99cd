using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Aws;

/// <summary>
/// The signer against AWS's published SigV4 test suite (Aws/SigV4TestSuite, its README names the
/// source and licence): each step's output, and the whole signature on a real HttpRequestMessage.
/// </summary>
public class SigV4VectorTests
{
    private const string SuiteFolder = "Aws/SigV4TestSuite";
    private const string ContentSha256Header = "X-Amz-Content-Sha256";

    public static TheoryData<string> Cases() => [.. Names()];

    /// <summary>
    /// The cases whose headers go on the wire as written: HttpClient sends a repeated header as one
    /// line, and writes Content-Length itself after signing, so the signer signs neither as the suite does.
    /// </summary>
    public static TheoryData<string> WireCases() =>
        [.. Names().Where(name => Vector.Load(name).Headers is var headers
            && headers.GroupBy(h => h.Key.ToLowerInvariant()).All(group => group.Count() == 1)
            && !headers.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))];

    private static IEnumerable<string> Names() =>
        Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, SuiteFolder)).Select(folder => Path.GetFileName(folder)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Canonical_request_string_to_sign_and_signature_match_aws_published_vectors(string name)
    {
        var vector = Vector.Load(name);

        var canonical = SigV4.CanonicalRequest(vector.Method, vector.Uri, vector.SignedInput, vector.PayloadHash, out _);
        var stringToSign = SigV4.StringToSign(vector.Timestamp, vector.Scope, canonical);
        var signature = SigV4.Signature(vector.SecretKey, vector.Date, vector.Region, vector.Service, stringToSign);

        Assert.Equal(vector.Expected("header-canonical-request.txt"), canonical);
        Assert.Equal(vector.Expected("header-string-to-sign.txt"), stringToSign);
        Assert.Equal(vector.Expected("header-signature.txt"), signature);
    }

    [Theory]
    [MemberData(nameof(WireCases))]
    public void Signature_on_an_http_request_message_matches_aws_published_vector(string name)
    {
        var vector = Vector.Load(name);
        using var request = vector.ToRequestMessage();

        SigV4.Sign(request, SigV4.PayloadHash(vector.Body), vector.Credentials, new AwsEndpoint(vector.Service, vector.Region), vector.Time);

        var expected = vector.Expected("header-signed-request.txt").Split('\n')
            .Single(line => line.StartsWith("Authorization:", StringComparison.Ordinal))["Authorization:".Length..];
        Assert.Equal(expected, string.Join(", ", request.Headers.NonValidated["Authorization"]));
        Assert.Equal(vector.Timestamp, request.Headers.NonValidated["X-Amz-Date"].ToString());
    }

    /// <summary>One case of the suite, parsed from its files.</summary>
    private sealed record Vector(string Name, string Method, Uri Uri, List<KeyValuePair<string, string>> Headers, byte[] Body, JsonElement Context)
    {
        private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, SuiteFolder, name);

        public DateTimeOffset Time => DateTimeOffset.Parse(Context.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);

        public string Timestamp => Time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        public string Date => Time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

        public string Region => Context.GetProperty("region").GetString()!;

        public string Service => Context.GetProperty("service").GetString()!;

        public string Scope => $"{Date}/{Region}/{Service}/aws4_request";

        public string SecretKey => Credentials.SecretKey;

        public ImmutableCredentials Credentials
        {
            get
            {
                var credentials = Context.GetProperty("credentials");
                var token = credentials.TryGetProperty("token", out var value) && !OmitsToken ? value.GetString() : null;
                return new ImmutableCredentials(credentials.GetProperty("access_key_id").GetString(), credentials.GetProperty("secret_access_key").GetString(), token);
            }
        }

        public string PayloadHash => Convert.ToHexStringLower(SHA256.HashData(Body));

        /// <summary>The headers as the suite signs them: the request's, the date, the token, and the body hash when it is signed.</summary>
        public List<KeyValuePair<string, string>> SignedInput
        {
            get
            {
                List<KeyValuePair<string, string>> headers = [.. Headers, KeyValuePair.Create("X-Amz-Date", Timestamp)];
                if (Credentials.UseToken)
                {
                    headers.Add(KeyValuePair.Create("X-Amz-Security-Token", Credentials.Token));
                }

                if (SignsBody)
                {
                    headers.Add(KeyValuePair.Create(ContentSha256Header, PayloadHash));
                }

                return headers;
            }
        }

        private bool OmitsToken => Context.TryGetProperty("omit_session_token", out var omit) && omit.GetBoolean();

        private bool SignsBody => Context.TryGetProperty("sign_body", out var sign) && sign.GetBoolean();

        public string Expected(string file) => File.ReadAllText(Path.Combine(Folder(Name), file));

        public static Vector Load(string name)
        {
            var text = File.ReadAllText(Path.Combine(Folder(name), "request.txt"));
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var head = (split < 0 ? text : text[..split]).Split('\n');
            var body = split < 0 ? [] : Encoding.UTF8.GetBytes(text[(split + 2)..]);
            var requestLine = head[0].Split(' ');
            var headers = head.Skip(1).Where(line => line.Length > 0).Select(line => line.Split(':', 2)).Select(parts => KeyValuePair.Create(parts[0], parts[1])).ToList();
            var host = headers.Single(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value.Trim();
            var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(name), "context.json"))).RootElement.Clone();
            return new Vector(name, requestLine[0], new Uri($"https://{host}{requestLine[1]}"), headers, body, context);
        }

        /// <summary>The request as HttpClient would send it: content headers on the content, Host and the body hash set.</summary>
        public HttpRequestMessage ToRequestMessage()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Uri) { Content = Body.Length > 0 ? new ByteArrayContent(Body) : null };
            foreach (var (name, value) in Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content!.Headers.TryAddWithoutValidation(name, value);
                }
                else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Host = value.Trim();
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (SignsBody)
            {
                request.Headers.TryAddWithoutValidation(ContentSha256Header, PayloadHash);
            }

            return request;
        }
    }
}
