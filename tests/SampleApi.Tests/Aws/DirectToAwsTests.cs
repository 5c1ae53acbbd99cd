using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TestSupport;

namespace SampleApi.Tests.Aws;

/// <summary>
/// SampleApi sends straight to AWS's OTLP endpoints with nothing but the standard variables, and
/// every request is checked by botocore (<see cref="SigV4Verifier"/>, the test double for AWS).
/// The endpoints are AWS's own URLs; the test seam <see cref="OtlpTestNetwork"/> connects their
/// hosts to the verifier on loopback, over TLS with the verifier's certificate.
/// </summary>
[Collection(AwsEnvironmentState.Name)]
public class DirectToAwsTests
{
    internal const string Region = "us-east-1";
    internal const string AccessKey = "AKIDSAMPLEAPI";
    internal const string SecretKey = "sample-secret";
    internal const string SessionToken = "sample-session-token";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Traces_metrics_and_logs_reach_aws_endpoints_signed_with_a_session_token_as_botocore_verifies()
    {
        using var environment = Credentials();
        await using var verifier = await SigV4Verifier.StartAsync(AccessKey, SecretKey, SessionToken);
        await verifier.AcceptAsync();
        using var factory = Api(verifier, traces: true, metrics: true, logs: true);

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        var traces = await verifier.WaitForAsync(r => r.Path == "/v1/traces" && r.Contains(Convert.FromHexString(body.TraceId)), ArrivalTimeout);
        var logs = await verifier.WaitForAsync(r => r.Path == "/v1/logs" && r.Contains("sample3 done."u8.ToArray()), ArrivalTimeout);
        var metrics = await verifier.WaitForAsync(r => r.Path == "/v1/metrics" && r.Contains("http.server.request.duration"u8.ToArray()), ArrivalTimeout);
        Assert.All(verifier.Received, request => Assert.True(request.Valid, $"{request.Path}: {request.Reason} {request.Details}"));
        Assert.Equal(("xray", true), (traces?.Service, traces?.Accepted));
        Assert.Equal(("logs", true), (logs?.Service, logs?.Accepted));
        Assert.Equal(("monitoring", true), (metrics?.Service, metrics?.Accepted));
        Assert.All([traces!, logs!, metrics!], request => Assert.Contains("x-amz-security-token", request.SignedHeaders));
        Assert.Superset(new HashSet<string> { "x-aws-log-group", "x-aws-log-stream" }, logs!.SignedHeaders.ToHashSet());
    }

    /// <summary>The verifier refuses (503) until the payload has been tried; the attempt it then accepts was signed after it came back.</summary>
    [Fact]
    public async Task A_payload_held_through_an_outage_arrives_with_a_fresh_valid_signature()
    {
        using var environment = Credentials();
        await using var verifier = await SigV4Verifier.StartAsync(AccessKey, SecretKey, SessionToken);
        using var factory = Api(verifier, traces: true, metrics: false, logs: false);

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;
        var traceId = Convert.FromHexString(body.TraceId);
        var refused = await verifier.WaitForAsync(r => r.Path == "/v1/traces" && r.Contains(traceId), ArrivalTimeout);
        var back = DateTimeOffset.UtcNow;
        await verifier.AcceptAsync();
        var delivered = await verifier.WaitForAsync(r => r.Accepted && r.Contains(traceId), ArrivalTimeout);

        Assert.NotNull(refused);
        Assert.NotNull(delivered);
        Assert.True(refused.Valid && delivered.Valid, $"{refused.Reason} {delivered.Reason}");
        Assert.True(delivered.SignedAt >= back.AddTicks(-(back.Ticks % TimeSpan.TicksPerSecond)), $"Signed at {delivered.SignedAt:O}, before the endpoint came back at {back:O}.");
    }

    /// <summary>With the export buffer off, the SDK's own HttpClient sends: it gets the signer too.</summary>
    [Fact]
    public async Task Without_the_export_buffer_the_sdk_exporter_signs_as_botocore_verifies()
    {
        using var environment = Credentials();
        await using var verifier = await SigV4Verifier.StartAsync(AccessKey, SecretKey, SessionToken);
        await verifier.AcceptAsync();
        using var factory = Api(verifier, traces: true, metrics: false, logs: false, ("OtlpExportBuffer:Enabled", "false"));

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        var traces = await verifier.WaitForAsync(r => r.Contains(Convert.FromHexString(body.TraceId)), ArrivalTimeout);
        Assert.Equal(("xray", true), (traces?.Service, traces?.Accepted));
        Assert.All(verifier.Received, request => Assert.True(request.Valid, $"{request.Path}: {request.Reason} {request.Details}"));
    }

    [Fact]
    public void Grpc_to_an_aws_endpoint_stops_the_start_with_the_setting_to_change()
    {
        using var environment = Credentials();
        using var factory = new SampleApiFactory
        {
            Settings = { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"https://xray.{Region}.amazonaws.com/v1/traces" },
        };

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("Set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf", error.Message);
    }

    [Fact]
    public async Task No_span_or_metric_about_signing_or_sending_telemetry_is_exported()
    {
        using var environment = Credentials();
        await using var verifier = await SigV4Verifier.StartAsync(AccessKey, SecretKey, SessionToken);
        await verifier.AcceptAsync();
        using var factory = Api(verifier, traces: true, metrics: true, logs: false);
        var client = factory.CreateClient();

        // Two rounds: the second request's spans are exported after the first's deliveries were made.
        foreach (var round in Enumerable.Range(0, 2))
        {
            var body = (await client.GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;
            Assert.NotNull(await verifier.WaitForAsync(r => r.Accepted && r.Contains(Convert.FromHexString(body.TraceId)), ArrivalTimeout));
        }

        Assert.NotNull(await verifier.WaitForAsync(r => r.Accepted && r.Path == "/v1/metrics" && r.Contains("http.server.request.duration"u8.ToArray()), ArrivalTimeout));
        var awsHost = Encoding.UTF8.GetBytes("amazonaws.com");
        Assert.DoesNotContain(verifier.Received, request => request.Contains(awsHost));
        Assert.DoesNotContain(factory.Spans, span => span.Kind == System.Diagnostics.ActivityKind.Client);
    }

    /// <summary>
    /// Credentials from a local endpoint answering as the Pod Identity agent does; the SDK's fetch
    /// runs suppressed, so no span describes it. (The runtime still counts that request in its
    /// http.client.* metrics: docs/aws-direct.md says so.)
    /// </summary>
    [Fact]
    public async Task Credentials_from_eks_pod_identity_sign_and_their_fetch_makes_no_span()
    {
        await using var agent = await PodIdentityAgent.StartAsync("pod-token", expiresIn: TimeSpan.FromHours(1));
        using var environment = new AwsEnvironment();
        await agent.UseInAsync(environment);
        await using var verifier = await SigV4Verifier.StartAsync("AKIDPOD1", "pod-secret-1", "pod-session-1");
        await verifier.AcceptAsync();
        using var factory = Api(verifier, traces: true, metrics: true, logs: false);

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        Assert.NotNull(await verifier.WaitForAsync(r => r.Accepted && r.Contains(Convert.FromHexString(body.TraceId)), ArrivalTimeout));
        Assert.NotNull(await verifier.WaitForAsync(r => r.Accepted && r.Path == "/v1/metrics" && r.Contains("http.server.request.duration"u8.ToArray()), ArrivalTimeout));
        Assert.NotEmpty(agent.Authorizations);
        Assert.DoesNotContain(factory.Spans, span => span.Kind == System.Diagnostics.ActivityKind.Client);
    }

    /// <summary>Temporary credentials in the process environment, the ones the verifiers of these tests expect.</summary>
    internal static AwsEnvironment Credentials() => new AwsEnvironment()
        .Set("AWS_ACCESS_KEY_ID", AccessKey)
        .Set("AWS_SECRET_ACCESS_KEY", SecretKey)
        .Set("AWS_SESSION_TOKEN", SessionToken);

    private static SampleApiFactory Api(SigV4Verifier verifier, bool traces, bool metrics, bool logs, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        if (traces)
        {
            settings["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"https://xray.{Region}.amazonaws.com/v1/traces";
        }

        if (metrics)
        {
            settings["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = $"https://monitoring.{Region}.amazonaws.com/v1/metrics";
        }

        if (logs)
        {
            settings["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = $"https://logs.{Region}.amazonaws.com/v1/logs";
            settings["OTEL_EXPORTER_OTLP_LOGS_HEADERS"] = "x-aws-log-group=/aspire/sampleapi,x-aws-log-stream=test";
        }

        return new SampleApiFactory
        {
            Settings = settings,
            TestServices = services => services.AddSingleton(verifier.AwsHostsConnection()),
        };
    }
}

/// <summary>Tests that set the AWS variables of the process environment (<see cref="AwsEnvironment"/>): never run them in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentState
{
    public const string Name = "Process-wide AWS environment";
}
