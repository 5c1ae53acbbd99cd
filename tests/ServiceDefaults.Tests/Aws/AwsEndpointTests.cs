using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Aws;

public class AwsEndpointTests
{
    [Theory]
    [InlineData("https://xray.eu-west-2.amazonaws.com/v1/traces", "xray", "eu-west-2")]
    [InlineData("https://logs.us-east-1.amazonaws.com/v1/logs", "logs", "us-east-1")]
    [InlineData("https://monitoring.ap-southeast-2.amazonaws.com/v1/metrics", "monitoring", "ap-southeast-2")]
    [InlineData("https://xray.us-gov-west-1.amazonaws.com/v1/traces", "xray", "us-gov-west-1")]
    [InlineData("http://XRAY.EU-WEST-2.AMAZONAWS.COM:8080/v1/traces", "xray", "eu-west-2")]
    public void An_aws_otlp_host_names_the_service_and_region_to_sign_for(string uri, string service, string region)
    {
        Assert.True(AwsEndpoint.TryParse(new Uri(uri), out var endpoint));
        Assert.Equal(new AwsEndpoint(service, region), endpoint);
    }

    [Theory]
    [InlineData("http://collector:4318/v1/traces")]
    [InlineData("https://xray.amazonaws.com/v1/traces")]
    [InlineData("https://s3.eu-west-2.amazonaws.com/bucket")]
    [InlineData("https://xray.eu-west-2.amazonaws.com.example.com/v1/traces")]
    [InlineData("https://evil-xray.eu-west-2.amazonaws.com/v1/traces")]
    [InlineData("https://xray.eu_west_2.amazonaws.com/v1/traces")]
    public void Any_other_host_is_not_signed(string uri)
    {
        Assert.False(AwsEndpoint.TryParse(new Uri(uri), out _));
    }

    [Fact]
    public void No_uri_is_not_signed()
    {
        Assert.False(AwsEndpoint.TryParse(null, out _));
    }
}
