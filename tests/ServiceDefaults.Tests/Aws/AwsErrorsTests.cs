using System.Net;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Aws;

public class AwsErrorsTests
{
    [Theory]
    [InlineData("AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", "AccessDeniedException")]
    [InlineData("InvalidSignatureException", "InvalidSignatureException")]
    public void A_refusal_names_aws_error_code_without_its_namespace(string header, string expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", header);

        Assert.Equal(expected, AwsErrors.ErrorType(response));
    }

    [Fact]
    public void A_refusal_without_the_header_names_no_code()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);

        Assert.Null(AwsErrors.ErrorType(response));
    }
}
