using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace SampleApi.Tests.Aws;

/// <summary>
/// SampleApi as the AppHost starts it without a collector and with a region: every signal goes to the dashboard
/// (an <see cref="OtlpReceiver"/> stands in for it, over gRPC with the dashboard's API key, as Aspire sets it) and a
/// copy goes straight to AWS (<see cref="SigV4Verifier"/>, botocore, the only test double, answers for AWS's hosts).
/// </summary>
[Collection(AwsEnvironmentState.Name)]
public class CopyToAwsTests
{
    private const string DashboardKeyHeader = "x-otlp-api-key";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_signal_reaches_the_dashboard_and_aws_and_aws_gets_it_signed_without_the_dashboard_key()
    {
        using var environment = DirectToAwsTests.Credentials();
        await using var verifier = await SigV4Verifier.StartAsync(DirectToAwsTests.AccessKey, DirectToAwsTests.SecretKey, DirectToAwsTests.SessionToken);
        await verifier.AcceptAsync();
        await using var dashboard = await OtlpReceiver.StartAsync(http2Only: true);
        using var factory = Api(dashboard, verifier);

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        var traceId = Convert.FromHexString(body.TraceId);
        var logLine = "sample3 done."u8.ToArray();
        var metric = "http.server.request.duration"u8.ToArray();
        Assert.True(await dashboard.WaitForAsync(OtlpReceiver.GrpcTracePath, traceId, ArrivalTimeout), "the dashboard got no trace");
        Assert.True(await dashboard.WaitForAsync(OtlpReceiver.GrpcLogsPath, logLine, ArrivalTimeout), "the dashboard got no log record");
        Assert.True(await dashboard.WaitForAsync(OtlpReceiver.GrpcMetricsPath, metric, ArrivalTimeout), "the dashboard got no metric");
        var traces = await verifier.WaitForAsync(r => r.Path == "/v1/traces" && r.Contains(traceId), ArrivalTimeout);
        var logs = await verifier.WaitForAsync(r => r.Path == "/v1/logs" && r.Contains(logLine), ArrivalTimeout);
        var metrics = await verifier.WaitForAsync(r => r.Path == "/v1/metrics" && r.Contains(metric), ArrivalTimeout);
        Assert.Equal(("xray", true), (traces?.Service, traces?.Accepted));
        Assert.Equal(("logs", true), (logs?.Service, logs?.Accepted));
        Assert.Equal(("monitoring", true), (metrics?.Service, metrics?.Accepted));
        Assert.Superset(new HashSet<string> { "x-aws-log-group", "x-aws-log-stream" }, logs!.SignedHeaders.ToHashSet());
        Assert.All(verifier.Received, request =>
        {
            Assert.True(request.Valid, $"{request.Path}: {request.Reason} {request.Details}");
            Assert.DoesNotContain(DashboardKeyHeader, request.SignedHeaders); // every header sent is signed
        });
    }

    /// <summary>
    /// AWS refuses the signature (403: dropped at once) or is away (503: retried, holding the copy's senders): either
    /// way, request after request reaches the dashboard.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Aws_refusing_or_away_never_holds_up_the_dashboard(bool refusesSignature)
    {
        using var environment = DirectToAwsTests.Credentials();
        var expectedSecret = refusesSignature ? "not-the-secret-sampleapi-signs-with" : DirectToAwsTests.SecretKey;
        await using var verifier = await SigV4Verifier.StartAsync(DirectToAwsTests.AccessKey, expectedSecret, DirectToAwsTests.SessionToken);
        if (refusesSignature)
        {
            await verifier.AcceptAsync(); // answers 403 to a signature it cannot verify
        }

        await using var dashboard = await OtlpReceiver.StartAsync(http2Only: true);
        using var factory = Api(dashboard, verifier);
        var client = factory.CreateClient();

        foreach (var round in Enumerable.Range(1, 3))
        {
            var body = (await client.GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;
            var traceId = Convert.FromHexString(body.TraceId);
            Assert.True(await dashboard.WaitForAsync(OtlpReceiver.GrpcTracePath, traceId, ArrivalTimeout), $"round {round}: the dashboard got no trace");
            if (round == 1)
            {
                Assert.NotNull(await verifier.WaitForAsync(r => r.Path == "/v1/traces" && r.Contains(traceId), ArrivalTimeout));
            }
        }

        Assert.DoesNotContain(verifier.Received, request => request.Accepted);
    }

    /// <summary>SampleApi's settings as the AppHost gives them on the direct route (the copies on AWS's hosts, through the verifier's seam).</summary>
    private static SampleApiFactory Api(OtlpReceiver dashboard, SigV4Verifier verifier)
    {
        string Copy(string service, string signal) => $"https://{service}.{DirectToAwsTests.Region}.amazonaws.com/v1/{signal}";
        return new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
                ["OTEL_EXPORTER_OTLP_HEADERS"] = $"{DashboardKeyHeader}=dashboard-key",
                ["OtlpCopy:TracesEndpoint"] = Copy("xray", "traces"),
                ["OtlpCopy:MetricsEndpoint"] = Copy("monitoring", "metrics"),
                ["OtlpCopy:LogsEndpoint"] = Copy("logs", "logs"),
                ["OtlpCopy:LogsHeaders"] = "x-aws-log-group=/aspire-xray/logs,x-aws-log-stream=otlp",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            },
            TestServices = services => services.AddSingleton(verifier.AwsHostsConnection()),
        };
    }
}
