using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace SampleApi.Tests;

/// <summary>
/// The OTLP exporter is configured by the standard variables alone. An <see cref="OtlpReceiver"/>
/// stands in for the collector and records what arrives; the trace id's 16 bytes appear verbatim
/// in the protobuf body, for both protocols.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public class OtlpExportTests
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("grpc", OtlpReceiver.GrpcTracePath)]
    [InlineData("http/protobuf", OtlpReceiver.HttpTracePath)]
    public async Task Spans_are_exported_with_the_protocol_the_standard_variables_name(string protocol, string tracePath)
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: protocol == "grpc");
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            },
        };

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        var traceIdBytes = Convert.FromHexString(body.TraceId);
        Assert.True(
            await receiver.WaitForAsync(tracePath, traceIdBytes, ArrivalTimeout),
            $"No {protocol} export to {tracePath} carried trace {body.TraceId}; saw: {string.Join(", ", receiver.Paths)}");
    }

    /// <summary>
    /// A signal set to <c>none</c> never leaves the process. Another signal exported on the same short
    /// schedule is the clock: once it has arrived after each of three requests, the silenced one would
    /// have been sent several times over.
    /// </summary>
    [Theory]
    [InlineData("OTEL_LOGS_EXPORTER", "/v1/logs", "/v1/metrics", "http.server.request.duration")]
    [InlineData("OTEL_METRICS_EXPORTER", "/v1/metrics", "/v1/logs", "sample3 done.")]
    public async Task A_signal_whose_exporter_is_none_is_not_exported_while_the_others_are(
        string exporterSetting, string silencedPath, string clockPath, string clockText)
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                [exporterSetting] = "none",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            },
        };
        var client = factory.CreateClient();
        var clock = Encoding.UTF8.GetBytes(clockText);

        for (var request = 1; request <= 3; request++)
        {
            var body = (await client.GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;
            Assert.True(await receiver.WaitForAsync(OtlpReceiver.HttpTracePath, Convert.FromHexString(body.TraceId), ArrivalTimeout));
            Assert.True(await receiver.WaitForCountAsync(clockPath, clock, request, ArrivalTimeout), $"No export to {clockPath} after request {request}.");
        }

        Assert.DoesNotContain(silencedPath, receiver.Paths);
    }

    /// <summary>
    /// As AWS's guides configure it: only the signals' own endpoints, each the full URL (so no
    /// <c>/v1/{signal}</c> appended), and each signal's own protocol. Logs are the clock for metrics.
    /// </summary>
    [Fact]
    public async Task Signal_endpoints_alone_export_those_signals_to_their_full_urls()
    {
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: false);
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"{receiver.Endpoint}/otlp/v1/traces",
                ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
                ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = $"{receiver.Endpoint}/otlp/v1/logs",
                ["OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            },
        };
        var client = factory.CreateClient();

        for (var request = 1; request <= 3; request++)
        {
            var body = (await client.GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;
            Assert.True(
                await receiver.WaitForAsync("/otlp/v1/traces", Convert.FromHexString(body.TraceId), ArrivalTimeout),
                $"No trace export to /otlp/v1/traces; saw: {string.Join(", ", receiver.Paths)}");
            Assert.True(await receiver.WaitForCountAsync("/otlp/v1/logs", "sample3 done."u8.ToArray(), request, ArrivalTimeout));
        }

        Assert.Equal(["/otlp/v1/logs", "/otlp/v1/traces"], receiver.Paths.Order());
    }

    [Fact]
    public async Task Unreachable_collector_never_fails_or_blocks_a_request()
    {
        using var factory = new SampleApiFactory
        {
            // Port 9 (discard) on loopback: nothing listens there.
            Settings = { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9", ["OTEL_BSP_SCHEDULE_DELAY"] = "10" },
        };
        var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/sample?delayScale=0");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
