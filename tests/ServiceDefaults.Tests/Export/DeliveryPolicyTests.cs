using System.Security.Authentication;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

/// <summary>The OTLP specification's retry rules (https://opentelemetry.io/docs/specs/otlp/), row by row.</summary>
public class DeliveryPolicyTests
{
    private static readonly DeliveryLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

    private static readonly Dictionary<string, (AttemptOutcome Outcome, string Expected)> Table = new()
    {
        ["HTTP 200"] = (new(200), "delivered"),
        ["HTTP 204"] = (new(204), "delivered"),
        ["gRPC OK"] = (new(200, 0), "delivered"),
        // OTLP/HTTP "Failures": 429, 502, 503, 504 are retryable; every other 4xx and 5xx MUST NOT be retried.
        ["HTTP 429"] = (new(429), "retry"),
        ["HTTP 502"] = (new(502), "retry"),
        ["HTTP 503"] = (new(503), "retry"),
        ["HTTP 504"] = (new(504), "retry"),
        ["HTTP 400"] = (new(400), "drop 400"),
        ["HTTP 401"] = (new(401), "drop 401"),
        ["HTTP 403 (AWS: bad signature, expired token, no permission)"] = (new(403, Detail: "InvalidSignatureException"), "drop 403"),
        ["HTTP 404"] = (new(404), "drop 404"),
        ["HTTP 408 (not in the spec's list)"] = (new(408), "drop 408"),
        ["HTTP 413"] = (new(413), "drop 413"),
        ["HTTP 500"] = (new(500), "drop 500"),
        // OTLP/gRPC "Failures": the retryable codes; RESOURCE_EXHAUSTED only with RetryInfo.
        ["gRPC CANCELLED"] = (new(200, 1), "retry"),
        ["gRPC DEADLINE_EXCEEDED"] = (new(200, 4), "retry"),
        ["gRPC ABORTED"] = (new(200, 10), "retry"),
        ["gRPC OUT_OF_RANGE"] = (new(200, 11), "retry"),
        ["gRPC UNAVAILABLE"] = (new(200, 14), "retry"),
        ["gRPC DATA_LOSS"] = (new(200, 15), "retry"),
        ["gRPC RESOURCE_EXHAUSTED without RetryInfo"] = (new(200, 8), "drop grpc_status_8"),
        ["gRPC RESOURCE_EXHAUSTED with RetryInfo"] = (new(200, 8, TimeSpan.FromSeconds(3)), "retry"),
        ["gRPC UNKNOWN"] = (new(200, 2), "drop grpc_status_2"),
        ["gRPC INVALID_ARGUMENT"] = (new(200, 3), "drop grpc_status_3"),
        ["gRPC PERMISSION_DENIED"] = (new(200, 7), "drop grpc_status_7"),
        ["gRPC UNIMPLEMENTED (no pipeline for the signal)"] = (new(200, 12), "drop grpc_status_12"),
        ["gRPC INTERNAL"] = (new(200, 13), "drop grpc_status_13"),
        ["gRPC UNAUTHENTICATED"] = (new(200, 16), "drop grpc_status_16"),
        // Transport: what can heal is retried, what cannot is dropped at once.
        ["connection refused"] = (new(null, Error: new HttpRequestException(HttpRequestError.ConnectionError)), "retry"),
        ["name not resolved yet"] = (new(null, Error: new HttpRequestException(HttpRequestError.NameResolutionError)), "retry"),
        ["connection reset"] = (new(null, Error: new HttpRequestException(HttpRequestError.Unknown, "reset", new IOException())), "retry"),
        ["no answer in time"] = (AttemptOutcome.TimedOut, "retry"),
        ["TLS handshake refused"] = (new(null, Error: new HttpRequestException(HttpRequestError.SecureConnectionError, "tls", new AuthenticationException())), "drop HttpRequestException"),
        ["certificate rejected"] = (new(null, Error: new HttpRequestException(HttpRequestError.Unknown, "tls", new AuthenticationException())), "drop HttpRequestException"),
    };

    public static TheoryData<string> Outcomes => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Each_outcome_is_delivered_retried_or_dropped_as_the_otlp_specification_says(string outcomeName)
    {
        var (outcome, expected) = Table[outcomeName];
        var decision = DeliveryPolicy.Decide(outcome, attempt: 1, age: TimeSpan.Zero, Limits, jitter: 0.5);

        var actual = decision.Action switch
        {
            DeliveryAction.Delivered => "delivered",
            DeliveryAction.Retry => "retry",
            _ => $"drop {decision.ErrorType}",
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 0.5, 1000)]
    [InlineData(3, 0.5, 2000)]
    [InlineData(4, 0.5, 2500)] // the 5 s cap
    [InlineData(40, 0.999, 4995)]
    [InlineData(1, 0, 0)]
    public void Without_a_server_delay_backoff_doubles_to_its_cap_with_full_jitter(int attempt, double jitter, int expectedMilliseconds)
    {
        var decision = DeliveryPolicy.Decide(new(503), attempt, TimeSpan.Zero, Limits, jitter);

        Assert.Equal(DeliveryAction.Retry, decision.Action);
        Assert.Equal(expectedMilliseconds, decision.Delay.TotalMilliseconds, precision: 3);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void An_http_server_delay_is_honoured_without_jitter(int status)
    {
        var decision = DeliveryPolicy.Decide(new(status, ServerDelay: TimeSpan.FromSeconds(30)), attempt: 1, TimeSpan.Zero, Limits, jitter: 0.1);

        Assert.Equal(DeliveryDecision.RetryAfter(TimeSpan.FromSeconds(30)), decision);
    }

    [Fact]
    public void A_grpc_retry_info_delay_is_honoured()
    {
        var decision = DeliveryPolicy.Decide(new(200, 14, TimeSpan.FromSeconds(7)), attempt: 3, TimeSpan.Zero, Limits, jitter: 0.1);

        Assert.Equal(DeliveryDecision.RetryAfter(TimeSpan.FromSeconds(7)), decision);
    }

    [Fact]
    public void A_server_delay_past_the_maximum_age_drops_the_request_now_as_expired()
    {
        var decision = DeliveryPolicy.Decide(new(503, ServerDelay: TimeSpan.FromDays(1)), attempt: 1, TimeSpan.FromSeconds(10), Limits, jitter: 0.5);

        Assert.Equal(DeliveryDecision.Drop(DeliveryPolicy.Expired), decision);
    }

    [Fact]
    public void A_retryable_failure_at_the_maximum_age_is_dropped_as_expired()
    {
        var justBefore = DeliveryPolicy.Decide(new(503), attempt: 50, Limits.MaxAge - TimeSpan.FromSeconds(3), Limits, jitter: 0.5);
        var at = DeliveryPolicy.Decide(new(503), attempt: 50, Limits.MaxAge - TimeSpan.FromSeconds(2), Limits, jitter: 0.5);

        Assert.Equal(DeliveryDecision.RetryAfter(TimeSpan.FromMilliseconds(2500)), justBefore);
        Assert.Equal(DeliveryDecision.Drop(DeliveryPolicy.Expired), at);
    }

    [Fact]
    public void A_delivered_request_is_delivered_whatever_its_age()
    {
        Assert.Equal(DeliveryDecision.Delivered, DeliveryPolicy.Decide(new(200), attempt: 9, TimeSpan.FromHours(1), Limits, jitter: 0.5));
    }
}
