using YamlDotNet.Serialization;

namespace Aspire.Hosting;

/// <summary>
/// The ADOT collector configuration as data: OTLP in, memory_limiter then batch, and only the
/// exporters that are configured. <see cref="ToYaml"/> renders it for the collector.
/// </summary>
internal sealed class CollectorConfig
{
    public const string OtlpReceiver = "otlp";
    public const string MemoryLimiterProcessor = "memory_limiter";
    public const string BatchProcessor = "batch";
    public const string DashboardExporter = "otlp/aspire-dashboard";
    public const string XRayExporter = "awsxray";
    public const string HealthCheckExtension = "health_check";
    public const string DashboardApiKeyHeader = "x-otlp-api-key";

    // The collector binds localhost by default; a container must listen on every interface.
    private const string AnyInterface = "0.0.0.0";

    private readonly Dictionary<string, object> _exporters = [];
    private readonly Dictionary<string, List<string>> _pipelineExporters = new()
    {
        ["traces"] = [],
        ["metrics"] = [],
        ["logs"] = [],
    };

    /// <summary>Sends traces, metrics and logs to the Aspire dashboard over OTLP gRPC.</summary>
    /// <param name="endpoint">The dashboard's OTLP gRPC endpoint as the collector sees it.</param>
    /// <param name="apiKey">The header value, usually an <c>${env:NAME}</c> reference; null when the dashboard accepts anonymous OTLP.</param>
    /// <param name="insecure">True when the endpoint is plain http.</param>
    public CollectorConfig WithDashboardExporter(string endpoint, string? apiKey, bool insecure)
    {
        var exporter = new Dictionary<string, object> { ["endpoint"] = endpoint };
        if (apiKey is not null)
        {
            exporter["headers"] = new Dictionary<string, object> { [DashboardApiKeyHeader] = apiKey };
        }

        exporter["tls"] = insecure
            ? new Dictionary<string, object> { ["insecure"] = true }
            // The local dashboard's development certificate is not trusted inside the container.
            : new Dictionary<string, object> { ["insecure_skip_verify"] = true };

        return AddExporter(DashboardExporter, exporter, "traces", "metrics", "logs");
    }

    /// <summary>Sends traces to AWS X-Ray in <paramref name="region"/>.</summary>
    public CollectorConfig WithXRayExporter(string region) =>
        AddExporter(XRayExporter, new Dictionary<string, object> { ["region"] = region }, "traces");

    /// <summary>The configuration as nested maps and lists, in the collector's key order.</summary>
    public Dictionary<string, object> ToModel()
    {
        var pipelines = _pipelineExporters
            .Where(pipeline => pipeline.Value.Count > 0)
            .ToDictionary(pipeline => pipeline.Key, pipeline => (object)new Dictionary<string, object>
            {
                ["receivers"] = new List<string> { OtlpReceiver },
                ["processors"] = new List<string> { MemoryLimiterProcessor, BatchProcessor },
                ["exporters"] = pipeline.Value.ToList(),
            });

        return new()
        {
            ["extensions"] = Map(HealthCheckExtension, Map("endpoint", Listen(AdotCollectorResource.HealthPort))),
            ["receivers"] = Map(OtlpReceiver, Map("protocols", new Dictionary<string, object>
            {
                ["grpc"] = Map("endpoint", Listen(AdotCollectorResource.GrpcPort)),
                ["http"] = Map("endpoint", Listen(AdotCollectorResource.HttpPort)),
            })),
            ["processors"] = new Dictionary<string, object>
            {
                // First in every pipeline, so the collector refuses data before it runs out of memory.
                [MemoryLimiterProcessor] = new Dictionary<string, object>
                {
                    ["check_interval"] = "1s",
                    ["limit_percentage"] = 80,
                    ["spike_limit_percentage"] = 25,
                },
                [BatchProcessor] = new Dictionary<string, object>(),
            },
            ["exporters"] = new Dictionary<string, object>(_exporters),
            ["service"] = new Dictionary<string, object>
            {
                ["extensions"] = new List<string> { HealthCheckExtension },
                ["pipelines"] = pipelines,
            },
        };
    }

    /// <summary>The configuration as YAML text for the collector's <c>--config</c>.</summary>
    public string ToYaml() => new SerializerBuilder().Build().Serialize(ToModel());

    private CollectorConfig AddExporter(string name, Dictionary<string, object> settings, params string[] pipelines)
    {
        _exporters[name] = settings;
        foreach (var pipeline in pipelines)
        {
            if (!_pipelineExporters[pipeline].Contains(name))
            {
                _pipelineExporters[pipeline].Add(name);
            }
        }

        return this;
    }

    private static Dictionary<string, object> Map(string key, object value) => new() { [key] = value };

    private static string Listen(int port) => $"{AnyInterface}:{port}";
}
