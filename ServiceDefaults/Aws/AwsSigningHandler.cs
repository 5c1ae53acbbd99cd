using Amazon.Runtime;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Signs every OTLP request to an AWS endpoint (<see cref="AwsEndpoint"/>) with SigV4 as it is
/// sent, so each attempt of a held payload carries a fresh signature (AWS accepts one for 5
/// minutes). Requests to any other host, and requests that already carry an <c>Authorization</c>
/// header (a CloudWatch API key set in <c>OTEL_EXPORTER_OTLP_*_HEADERS</c>), pass unchanged. All
/// of it runs with instrumentation suppressed: nothing about sending telemetry becomes telemetry.
/// </summary>
internal sealed class AwsSigningHandler(AwsCredentialSource credentials, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        if (ToSign(request) is { } endpoint)
        {
            var signing = await credentials.GetAsync(endpoint).ConfigureAwait(false);
            var body = request.Content is { } content ? await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false) : [];
            Sign(request, body, signing, endpoint);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SDK's exporter sends synchronously when the export buffer is off.</summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        if (ToSign(request) is { } endpoint)
        {
            var signing = credentials.Get(endpoint);
            byte[] body = [];
            if (request.Content is { } content)
            {
                using var buffer = new MemoryStream();
                content.CopyTo(buffer, null, cancellationToken);
                body = buffer.ToArray();
            }

            Sign(request, body, signing, endpoint);
        }

        return base.Send(request, cancellationToken);
    }

    /// <summary>Sends exactly the bytes it hashes, signed as of now.</summary>
    private void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials signing, AwsEndpoint endpoint)
    {
        Rebuffer(request, body);
        SigV4.Sign(request, body, signing, endpoint, time.GetUtcNow());
    }

    private static AwsEndpoint? ToSign(HttpRequestMessage request) =>
        !request.Headers.NonValidated.Contains(SigV4.AuthorizationHeader) && AwsEndpoint.TryParse(request.RequestUri, out var endpoint) ? endpoint : null;

    /// <summary>
    /// Makes the body the bytes just hashed: content that streams (held blocks) is read once per
    /// attempt, and what is sent is exactly what was signed.
    /// </summary>
    private static void Rebuffer(HttpRequestMessage request, byte[] body)
    {
        if (request.Content is not { } original)
        {
            return;
        }

        var buffered = new ByteArrayContent(body);
        foreach (var (name, values) in original.Headers.NonValidated)
        {
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Content = buffered;
        original.Dispose();
    }
}
