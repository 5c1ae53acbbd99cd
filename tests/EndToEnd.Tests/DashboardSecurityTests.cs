using System.Net;
using System.Net.Http.Headers;

namespace EndToEnd.Tests;

/// <summary>The local dashboard is never open by default: UI, telemetry API and OTLP all need a secret.</summary>
[Collection(SharedAppHost.Name)]
public class DashboardSecurityTests(AutoModeWithoutRuntime fixture)
{
    private const string OtlpTraceExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    [Fact]
    public async Task Telemetry_api_refuses_requests_without_the_api_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.Dashboard.GetAnonymouslyAsync("/api/telemetry/spans"));
    }

    [Fact]
    public async Task Dashboard_ui_sends_anonymous_visitors_to_the_login_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = fixture.Dashboard.BaseAddress,
        };

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_endpoint_refuses_exports_without_the_api_key()
    {
        using var client = new HttpClient { BaseAddress = fixture.DashboardOtlpEndpoint };
        // An empty ExportTraceServiceRequest (uncompressed flag, zero length) over cleartext HTTP/2, as gRPC sends it.
        using var request = new HttpRequestMessage(HttpMethod.Post, OtlpTraceExportPath)
        {
            Content = new ByteArrayContent(new byte[5]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
