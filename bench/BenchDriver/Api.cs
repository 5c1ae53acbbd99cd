namespace BenchDriver;

/// <summary>How SampleApi was published: for the JIT (what the deploy guide's image holds) or as the Native AOT binary.</summary>
internal enum Runtime
{
    Jit,
    Aot,
}

/// <summary>
/// Where each build of SampleApi is: the JIT image's published DLL and the native binary.
/// </summary>
internal sealed record ApiBuilds(string JitDll, string AotBinary);

/// <summary>How SampleApi runs in a scenario: its build, and OpenTelemetry settings.</summary>
internal sealed record Variant(string Name, Runtime Runtime, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The two variants whose comparison is what signing for AWS costs (the report states it).</summary>
    public const string TracedHttpName = "traced, HTTP/protobuf", TracedSignedForAwsName = "traced, signed for AWS (HTTP/protobuf)";

    /// <summary>What the process is started through, if anything (e.g. <see cref="AwsHosts.Launcher"/>).</summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>The name the tables show, e.g. <c>JIT: traced, gRPC</c>.</summary>
    public string Label => $"{(Runtime == Runtime.Aot ? "AOT" : "JIT")}: {Name}";

    /// <summary>False for the OTel-off variants, which export nothing.</summary>
    public bool Exports => !Environment.ContainsKey("OTEL_SDK_DISABLED");

    public static Variant Off(Sink sink, Runtime runtime = Runtime.Jit) => new("OTel off", runtime, new Dictionary<string, string>
    {
        ["OTEL_SDK_DISABLED"] = "true",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
    });

    public static Variant Traced(Sink sink, Runtime runtime = Runtime.Jit) => new("traced, gRPC", runtime, new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
    });

    public static Variant TracedHttp(Sink sink) => new(TracedHttpName, Runtime.Jit, new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.HttpEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    });

    /// <summary>
    /// Traced over HTTP/protobuf as <see cref="TracedHttp"/>, but each signal goes to its AWS host name,
    /// so ServiceDefaults signs every request with SigV4; <paramref name="hosts"/> resolves those names
    /// to the sink. Compared with <see cref="TracedHttp"/> it measures direct-to-AWS export against a
    /// local receiver: the signing, and only what it needs (fixed fake credentials with a session
    /// token, the log group and stream headers CloudWatch Logs requires).
    /// </summary>
    public static Variant TracedSignedForAws(Sink sink, AwsHosts hosts) => new(TracedSignedForAwsName, Runtime.Jit, new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = AwsHosts.Endpoint(AwsHosts.Traces, sink.HttpPort, "/v1/traces"),
        ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = AwsHosts.Endpoint(AwsHosts.Logs, sink.HttpPort, "/v1/logs"),
        ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = AwsHosts.Endpoint(AwsHosts.Metrics, sink.HttpPort, "/v1/metrics"),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_EXPORTER_OTLP_LOGS_HEADERS"] = "x-aws-log-group=bench,x-aws-log-stream=bench",
        // Fake, and first in the SDK's default chain; with a session token, as temporary credentials on EKS have.
        ["AWS_ACCESS_KEY_ID"] = "AKIABENCHEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "bench-example-secret",
        ["AWS_SESSION_TOKEN"] = "bench-example-session-token",
    })
    {
        Launcher = hosts.Launcher,
    };

    /// <summary>Traced, but the per-step log records are not exported (the OpenTelemetry logger provider filtered off).</summary>
    public static Variant TracedWithoutLogs(Sink sink) => new("traced, no log export", Runtime.Jit, new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.GrpcEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["Logging__OpenTelemetry__LogLevel__Default"] = "None",
    });
}

/// <summary>One SampleApi process (the Release JIT build or the AOT binary) on a free loopback port, with zero step delays.</summary>
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

    public static async Task<Api> StartAsync(ApiBuilds builds, Variant variant, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var api = Launch(builds, variant, extraEnvironment);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        await Readiness.WaitAsync(client, "/health", api.Process);
        return api;
    }

    /// <summary>Starts the process without waiting for it (the start-up scenario times that itself).</summary>
    public static Api Launch(ApiBuilds builds, Variant variant, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var port = Sink.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Sample__Sample1Delay"] = "00:00:00",
            ["Sample__Sample2Delay"] = "00:00:00",
            ["Sample__Sample3Delay"] = "00:00:00",
            ["DOTNET_GCHeapHardLimit"] = PodMemoryLimit.GcHeapHardLimit(variant.Runtime),
        };
        foreach (var (key, value) in variant.Environment.Concat(extraEnvironment))
        {
            environment[key] = value;
        }

        var urls = $"--urls=http://127.0.0.1:{port}";
        IReadOnlyList<string> command = variant.Runtime == Runtime.Aot
            ? [.. variant.Launcher, builds.AotBinary, urls]
            : [.. variant.Launcher, "dotnet", builds.JitDll, urls];
        // In the build's folder, so that it finds its appsettings.json.
        var folder = Path.GetDirectoryName(variant.Runtime == Runtime.Aot ? builds.AotBinary : builds.JitDll)!;
        var process = ChildProcess.Start(variant.Runtime == Runtime.Aot ? "sampleapi-aot" : "sampleapi", command, folder, environment);
        return new Api(process, variant, new Uri($"http://127.0.0.1:{port}"));
    }

    public void Dispose() => Process.Dispose();
}
