using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

public class ServerDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_info_in_a_grpc_status_gives_its_delay()
    {
        var details = StatusDetails(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2500)) });

        Assert.Equal(TimeSpan.FromMilliseconds(2500), ServerDelay.FromGrpcStatusDetails(details));
    }

    [Fact]
    public void Retry_info_among_other_details_is_found()
    {
        var details = StatusDetails(new ErrorInfo { Reason = "QUOTA" }, new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(4)) });

        Assert.Equal(TimeSpan.FromSeconds(4), ServerDelay.FromGrpcStatusDetails(details));
    }

    [Fact]
    public void Retry_info_without_a_delay_asks_for_none()
    {
        Assert.Equal(TimeSpan.Zero, ServerDelay.FromGrpcStatusDetails(StatusDetails(new RetryInfo())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("CAg")] // a Status with code 8 and no details
    public void A_status_without_retry_info_or_a_malformed_one_gives_no_delay(string? details)
    {
        Assert.Null(ServerDelay.FromGrpcStatusDetails(details));
    }

    [Fact]
    public void Other_details_give_no_delay()
    {
        Assert.Null(ServerDelay.FromGrpcStatusDetails(StatusDetails(new ErrorInfo { Reason = "QUOTA" })));
    }

    [Fact]
    public void Retry_after_in_seconds_or_as_a_date_gives_the_delay_from_now()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), ServerDelay.FromRetryAfter(RetryConditionHeaderValue.Parse("120"), Now));
        Assert.Equal(TimeSpan.FromSeconds(30), ServerDelay.FromRetryAfter(new RetryConditionHeaderValue(Now.AddSeconds(30)), Now));
        Assert.Equal(TimeSpan.Zero, ServerDelay.FromRetryAfter(new RetryConditionHeaderValue(Now.AddSeconds(-30)), Now));
        Assert.Null(ServerDelay.FromRetryAfter(null, Now));
    }

    /// <summary>A <c>grpc-status-details-bin</c> value as gRPC servers send it: base64 without padding.</summary>
    private static string StatusDetails(params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = 14, Message = "busy" };
        status.Details.AddRange(details.Select(Any.Pack));
        return Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
    }
}
