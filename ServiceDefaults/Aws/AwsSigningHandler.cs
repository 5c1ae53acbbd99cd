using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Signs every OTLP request to an AWS endpoint (<see cref="AwsEndpoint"/>) with SigV4 as it is
/// sent, so each attempt of a held payload carries a fresh signature (AWS accepts one for 5
/// minutes). Requests to any other host, and requests that already carry an <c>Authorization</c>
/// header (a CloudWatch API key set in <c>OTEL_EXPORTER_OTLP_*_HEADERS</c>), pass unchanged. All
/// of it runs with instrumentation suppressed: nothing about sending telemetry becomes telemetry.
/// The body is hashed through <see cref="HttpContent.ReadAsStreamAsync()"/>, which reads a
/// <see cref="ByteArrayContent"/>'s own bytes without a copy (a held payload is one, of up to a few
/// hundred KB) and buffers any other content once, which is then sent from that buffer: what is sent
/// is what was hashed.
/// </summary>
internal sealed class AwsSigningHandler(AwsCredentialSource credentials, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        if (ToSign(request) is { } endpoint)
        {
            var signing = await credentials.GetAsync(endpoint).ConfigureAwait(false);
            var payloadHash = request.Content is { } content
                ? await SigV4.PayloadHashAsync(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                : SigV4.PayloadHash([]);
            SigV4.Sign(request, payloadHash, signing, endpoint, time.GetUtcNow());
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SDK's exporter sends synchronously when the export buffer is off.</summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        if (ToSign(request) is { } endpoint)
        {
            var payloadHash = request.Content is { } content
                ? SigV4.PayloadHash(content.ReadAsStream(cancellationToken))
                : SigV4.PayloadHash([]);
            SigV4.Sign(request, payloadHash, credentials.Get(endpoint), endpoint, time.GetUtcNow());
        }

        return base.Send(request, cancellationToken);
    }

    private static AwsEndpoint? ToSign(HttpRequestMessage request) =>
        !request.Headers.NonValidated.Contains(SigV4.AuthorizationHeader) && AwsEndpoint.TryParse(request.RequestUri, out var endpoint) ? endpoint : null;
}
