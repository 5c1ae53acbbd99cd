namespace BenchDriver;

/// <summary>How SampleApi runs in a scenario: only OpenTelemetry settings differ between variants.</summary>
internal sealed record Variant(string Name, IReadOnlyDictionary<string, string> Environment)
{
    public static Variant Off(Sink sink) => new("OTel off", new Dictionary<string, string>
    {
        ["OTEL_SDK_DISABLED"] = "true",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
    });

    public static Variant Traced(Sink sink) => new("traced, gRPC", new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
    });

    public static Variant TracedHttp(Sink sink) => new("traced, HTTP/protobuf", new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.HttpEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    });

    /// <summary>Traced, but the per-step log records are not exported (the OpenTelemetry logger provider filtered off).</summary>
    public static Variant TracedWithoutLogs(Sink sink) => new("traced, no log export", new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["Logging__OpenTelemetry__LogLevel__Default"] = "None",
    });
}

/// <summary>One SampleApi process (the Release build) on a free loopback port, with zero step delays.</summary>
internal sealed class Api : IDisposable
{
    /// <summary>The route under load: a server span and three nested spans, no sleeping.</summary>
    public const string SamplePath = "/sample?delayScale=0";

    private Api(ChildProcess process, Variant variant, Uri baseAddress)
    {
        Process = process;
        Variant = variant;
        BaseAddress = baseAddress;
    }

    public ChildProcess Process { get; }

    public Variant Variant { get; }

    public Uri BaseAddress { get; }

    public Uri SampleUri => new(BaseAddress, SamplePath);

    public static async Task<Api> StartAsync(string dll, Variant variant, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var port = Sink.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Sample__Sample1Delay"] = "00:00:00",
            ["Sample__Sample2Delay"] = "00:00:00",
            ["Sample__Sample3Delay"] = "00:00:00",
        };
        foreach (var (key, value) in variant.Environment.Concat(extraEnvironment))
        {
            environment[key] = value;
        }

        var process = ChildProcess.StartDotnet("sampleapi", dll, [$"--urls=http://127.0.0.1:{port}"], environment);
        var api = new Api(process, variant, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        await Readiness.WaitAsync(client, "/health", process);
        return api;
    }

    public void Dispose() => Process.Dispose();
}
