namespace BenchDriver;

/// <summary>How SampleApi was published: for the JIT (what the deploy guide's image holds) or as the Native AOT binary.</summary>
internal enum Runtime
{
    Jit,
    Aot,
}

/// <summary>
/// Where each build of SampleApi is (the JIT image's published DLL and the native binary), and the GC
/// heap limit its pod would impose (<see cref="PodMemoryLimit"/>).
/// </summary>
internal sealed record ApiBuilds(string JitDll, string AotBinary, string GcHeapHardLimit);

/// <summary>How SampleApi runs in a scenario: its build, and OpenTelemetry settings.</summary>
internal sealed record Variant(string Name, Runtime Runtime, IReadOnlyDictionary<string, string> Environment)
{
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

    public static Variant TracedHttp(Sink sink) => new("traced, HTTP/protobuf", Runtime.Jit, new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.HttpEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    });

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
            ["DOTNET_GCHeapHardLimit"] = builds.GcHeapHardLimit,
        };
        foreach (var (key, value) in variant.Environment.Concat(extraEnvironment))
        {
            environment[key] = value;
        }

        string[] arguments = [$"--urls=http://127.0.0.1:{port}"];
        var process = variant.Runtime == Runtime.Aot
            ? ChildProcess.StartExecutable("sampleapi-aot", builds.AotBinary, arguments, environment)
            : ChildProcess.StartDotnet("sampleapi", builds.JitDll, arguments, environment);
        return new Api(process, variant, new Uri($"http://127.0.0.1:{port}"));
    }

    public void Dispose() => Process.Dispose();
}
