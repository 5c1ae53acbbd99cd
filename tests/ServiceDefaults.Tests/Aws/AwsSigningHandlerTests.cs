using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Aws;

public class AwsSigningHandlerTests
{
    private const string XRayTraces = "https://xray.eu-west-2.amazonaws.com/v1/traces";

    [Fact]
    public async Task A_request_to_an_aws_endpoint_is_signed_over_the_streamed_body_it_sends()
    {
        var (invoker, sent, _) = Create();
        byte[] body = [0x1f, 0x8b, 1, 2, 3];
        using var request = new HttpRequestMessage(HttpMethod.Post, XRayTraces) { Content = new StreamedContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");

        await invoker.SendAsync(request, CancellationToken.None);

        var signed = Assert.Single(sent);
        Assert.Equal(body, signed.Body);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260301/eu-west-2/xray/aws4_request, SignedHeaders=content-encoding;host;x-amz-date;x-amz-security-token, Signature=", signed.Authorization);
        Assert.Equal("session-token", signed.SecurityToken);
    }

    [Fact]
    public async Task Each_attempt_is_signed_when_it_is_sent()
    {
        var (invoker, sent, time) = Create();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, XRayTraces) { Content = new ByteArrayContent([1]) };
            await invoker.SendAsync(request, CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(7));
        }

        Assert.Equal(["20260301T120000Z", "20260301T120700Z"], sent.Select(request => request.Date));
        Assert.NotEqual(sent[0].Authorization, sent[1].Authorization);
    }

    [Fact]
    public async Task An_authorization_header_from_the_otlp_headers_is_sent_as_given()
    {
        var (invoker, sent, _) = Create();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://logs.eu-west-2.amazonaws.com/v1/logs") { Content = new ByteArrayContent([1]) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer api-key");

        await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(("Bearer api-key", null), (sent[0].Authorization, sent[0].Date));
    }

    [Fact]
    public async Task A_request_to_any_other_host_is_not_signed()
    {
        var (invoker, sent, _) = Create();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://collector:4318/v1/traces") { Content = new ByteArrayContent([1]) };

        await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal((null, null), (sent[0].Authorization, sent[0].Date));
    }

    private static (HttpMessageInvoker Invoker, List<Sent> Sent, ManualTime Time) Create()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var sent = new List<Sent>();
        var credentials = new AwsCredentialSource(new SessionAWSCredentials("AKIDTEST", "secret", "session-token"));
        return (new HttpMessageInvoker(new AwsSigningHandler(credentials, time) { InnerHandler = new Recorder(sent) }), sent, time);
    }

    private sealed record Sent(string? Authorization, string? Date, string? SecurityToken, byte[] Body);

    private sealed class Recorder(List<Sent> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(new Sent(Header(request, "Authorization"), Header(request, "X-Amz-Date"), Header(request, "X-Amz-Security-Token"),
                request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        private static string? Header(HttpRequestMessage request, string name) =>
            request.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
    }

    /// <summary>A body that can be read once, as the export buffer's held blocks stream theirs.</summary>
    private sealed class StreamedContent(byte[] body) : HttpContent
    {
        private bool _read;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Assert.False(_read, "The body was read twice.");
            _read = true;
            await stream.WriteAsync(body);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
