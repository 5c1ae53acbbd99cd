using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests.StartupSummary;

// The certificate annotations are experimental in Aspire 13.6 (ASPIRECERTIFICATES001).
#pragma warning disable ASPIRECERTIFICATES001

public class DevelopmentCertificateTests
{
    /// <summary>
    /// Aspire 13.6 looks for a trusted development certificate (and warns in the console and the
    /// dashboard when there is none) as soon as one resource has an https endpoint or a certificate
    /// callback that was not turned off; every project gets such a callback by default.
    /// </summary>
    [Fact]
    public async Task Under_the_http_profile_no_resource_asks_for_a_development_certificate()
    {
        await using var app = await AppModel.BuildAsync();

        Assert.All(app.Resources(), resource =>
        {
            Assert.DoesNotContain(resource.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.UriScheme == "https");
            if (resource.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any())
            {
                Assert.True(resource.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var certificate), resource.Name);
                Assert.False(certificate.UseDeveloperCertificate);
                Assert.Null(certificate.Certificate);
            }
        });
    }
}
