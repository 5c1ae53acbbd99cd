using System.Net;
using System.Net.Http.Json;
using System.Reflection;

namespace SampleApi.Tests.Aot;

/// <summary>
/// The Native AOT binary, as the container runs it: published once (<see cref="AotBinary"/>),
/// started as its own process, and checked end to end against an in-process OTLP receiver.
/// Anything that works under the JIT only (reflection-based JSON, options validation or version
/// lookup, a trimmed-away type) shows here as a failed request, a missing record or a failed start.
/// </summary>
public class NativeAotTests
{
    private const string ServiceName = "SampleApi";
    private const string XRayTraceIdAttribute = "aws.xray.trace_id";
    private static readonly string[] StepNames = ["sample1", "sample2", "sample3"];

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Aot_binary_exports_the_nested_trace_and_its_logs_with_an_xray_id(string protocol)
    {
        var grpc = protocol == "grpc";
        await using var receiver = await OtlpReceiver.StartAsync(http2Only: grpc);
        using var api = ApiProcess.Start(await AotBinary.PathAsync(), new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
        });
        await api.WaitUntilListeningAsync();
        using var client = api.CreateClient();
        var requested = DateTimeOffset.UtcNow;

        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
        using var response = await client.GetAsync("/sample?delayScale=0");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/sample answered {response.StatusCode}. Output:\n{api.Output}");
        var body = (await response.Content.ReadFromJsonAsync<SampleBody>())!;
        // Stopping flushes every batch: after a graceful exit, everything exported has arrived.
        await api.StopAsync();

        Assert.Equal($"Root={body.XrayTraceId}", Assert.Single(response.Headers.GetValues("X-Amzn-Trace-Id")));
        AssertXRayTraceId(body, requested);

        var spans = OtlpDecoder.Spans(receiver.Bodies(grpc ? OtlpReceiver.GrpcTracePath : OtlpReceiver.HttpTracePath));
        // Only the /sample trace: health probes are not traced.
        Assert.All(spans, span => Assert.Equal(body.TraceId, span.TraceId));
        Assert.Equal(["GET /sample", .. StepNames], spans.Select(span => span.Name).Order(StringComparer.Ordinal));
        var server = spans.Single(span => span.Name == "GET /sample");
        Assert.Equal("", server.ParentSpanId);
        var parent = server;
        foreach (var (name, step) in StepNames.Zip(body.Steps))
        {
            var span = spans.Single(span => span.Name == name);
            Assert.Equal(parent.SpanId, span.ParentSpanId);
            Assert.Equal(step.SpanId, span.SpanId);
            parent = span;
        }

        Assert.Equal(ServiceName, server.Resource["service.name"]);
        Assert.Equal(ExpectedVersion, server.Resource["service.version"]);

        var logs = OtlpDecoder.LogRecords(receiver.Bodies(grpc ? OtlpReceiver.GrpcLogsPath : OtlpReceiver.HttpLogsPath))
            .Where(log => log.TraceId == body.TraceId)
            .OrderBy(log => log.Body, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(StepNames.Select(name => $"{name} done."), logs.Select(log => log.Body));
        foreach (var (log, step) in logs.Zip(body.Steps))
        {
            Assert.Equal(step.SpanId, log.SpanId);
            Assert.Equal(body.XrayTraceId, log.Attributes[XRayTraceIdAttribute]);
        }
    }

    [Fact]
    public async Task Aot_binary_continues_the_trace_of_a_root_only_xray_header()
    {
        const string Root = "1-5759e988-bd862e3fe1be46a994272793";
        using var api = ApiProcess.Start(await AotBinary.PathAsync(), new Dictionary<string, string>());
        await api.WaitUntilListeningAsync();
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sample?delayScale=0");
        request.Headers.Add("X-Amzn-Trace-Id", $"Root={Root}");

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/sample answered {response.StatusCode}. Output:\n{api.Output}");
        var body = (await response.Content.ReadFromJsonAsync<SampleBody>())!;
        Assert.Equal("5759e988bd862e3fe1be46a994272793", body.TraceId);
        Assert.Equal(Root, body.XrayTraceId);
        Assert.Equal($"Root={Root}", Assert.Single(response.Headers.GetValues("X-Amzn-Trace-Id")));
    }

    [Fact]
    public async Task Aot_binary_refuses_to_start_with_a_delay_out_of_range_and_names_the_setting()
    {
        using var api = ApiProcess.Start(await AotBinary.PathAsync(), new Dictionary<string, string>
        {
            ["Sample__Sample2Delay"] = "00:05:00",
        });

        await api.WaitForExitAsync();

        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Sample2Delay", api.Output, StringComparison.Ordinal);
    }

    /// <summary>The informational version the JIT build of the same source carries.</summary>
    private static string ExpectedVersion =>
        typeof(SampleEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>The X-Ray form of the W3C id, whose first 8 hex digits are the request's Unix second.</summary>
    private static void AssertXRayTraceId(SampleBody body, DateTimeOffset requested)
    {
        Assert.Equal($"1-{body.TraceId[..8]}-{body.TraceId[8..]}", body.XrayTraceId);
        var seconds = Convert.ToInt64(body.TraceId[..8], 16);
        Assert.InRange(seconds, requested.ToUnixTimeSeconds() - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
