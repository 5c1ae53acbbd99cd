using System.Globalization;
using Microsoft.Extensions.Hosting;
using YamlDotNet.Serialization;

namespace Aspire.Hosting;

/// <summary>
/// The one ADOT collector definition every rendering is made from (the local run, the EKS ConfigMap, the
/// add-on's <c>OpenTelemetryCollector</c>): OTLP in, and one pipeline per signal and destination. The
/// dashboard gets everything; AWS gets traces (X-Ray), logs (CloudWatch Logs) and metrics (CloudWatch's
/// OTLP endpoint, or two of them through EMF). <see cref="ToModel"/> renders it for the collector. Every key is
/// checked against ADOT collector v0.49.0's components (see docs/collector.md for the sources).
/// </summary>
internal sealed class CollectorConfig
{
    public const string OtlpReceiver = "otlp";
    public const string MemoryLimiterProcessor = "memory_limiter";
    public const string BatchProcessor = "batch";
    public const string AwsBatchProcessor = "batch/aws";
    public const string MetricsFilterProcessor = "filter/cloudwatch-metrics";
    public const string LogGroupResourceProcessor = "resource/aws-log-group";

    /// <summary>The resource attribute X-Ray reads to link a trace to its log group (AWS semantic conventions).</summary>
    public const string LogGroupNamesAttribute = "aws.log.group.names";
    public const string HealthCheckExtension = "health_check";
    public const string XRaySigV4Extension = "sigv4auth/xray";
    public const string LogsSigV4Extension = "sigv4auth/logs";
    public const string MetricsSigV4Extension = "sigv4auth/monitoring";

    /// <summary>The file_storage extension the EKS collector keeps its exporters' sending queues in.</summary>
    public const string QueueStorageExtension = "file_storage/queue";

    /// <summary>The queues' folder on EKS: an emptyDir volume, the one writable path for them under the read-only root filesystem.</summary>
    public const string QueueDirectory = "/var/lib/otelcol/queue";

    /// <summary>
    /// The most each persistent queue holds, in serialized bytes; what arrives beyond it is refused and
    /// counted (<c>otelcol_exporter_enqueue_failed_*</c>). The three queues stay well below <see cref="QueueVolumeSizeLimit"/>.
    /// </summary>
    public const long QueueMaxBytes = 200_000_000;

    /// <summary>The queue volume's <c>sizeLimit</c>: the three queues (traces, logs, metrics) plus room for the database's free pages.</summary>
    public const string QueueVolumeSizeLimit = "1Gi";

    public const string DashboardExporter = "otlp_grpc/aspire-dashboard";
    public const string XRayOtlpExporter = "otlp_http/xray";
    public const string XRayExporter = "awsxray";
    public const string CloudWatchLogsExporter = "otlp_http/cloudwatch-logs";
    public const string CloudWatchMetricsExporter = "otlp_http/cloudwatch-metrics";
    public const string EmfExporter = "awsemf";

    public const string DashboardApiKeyHeader = "x-otlp-api-key";
    public const string LogGroupHeader = "x-aws-log-group";
    public const string LogStreamHeader = "x-aws-log-stream";

    /// <summary>X-Ray's OTLP endpoint refuses more spans than this in one request.</summary>
    public const int XRayMaxSpansPerRequest = 10_000;

    /// <summary>X-Ray's OTLP endpoint refuses requests larger than 5 MB uncompressed.</summary>
    public const int XRayMaxBytesPerRequest = 5_000_000;

    /// <summary>CloudWatch Logs takes at most 1,048,576 bytes per batch (PutLogEvents); kept below it.</summary>
    public const int LogsMaxBytesPerRequest = 1_000_000;

    /// <summary>The SigV4 service name CloudWatch's OTLP metrics endpoint is signed for.</summary>
    public const string MetricsSigningService = AwsOtlpEndpoints.MetricsService;

    /// <summary>
    /// The metrics sent to CloudWatch through EMF (<see cref="MetricsExport.Emf"/>), with their dimensions.
    /// EMF bills every metric and every distinct dimension value set, so only these go: request latency,
    /// count and errors per route and status, and each service's memory. The OTLP route sends every metric.
    /// </summary>
    public static readonly IReadOnlyList<(string Metric, string[] Dimensions)> CloudWatchMetrics =
    [
        ("http.server.request.duration", ["service.name", "http.route", "http.response.status_code"]),
        ("dotnet.process.memory.working_set", ["service.name"]),
    ];

    // The collector binds localhost by default; a container must listen on every interface.
    private const string AnyInterface = "0.0.0.0";

    // The exporter's own queue only splits what is too big (min_size 0 never holds data back).
    private const string SplitFlushTimeout = "200ms";

    private readonly Dictionary<string, object> _exporters = [];
    private readonly Dictionary<string, object> _extensions = [];
    private readonly Dictionary<string, object> _processors = [];
    private readonly List<CollectorPipeline> _pipelines = [];

    /// <summary>The pipelines, in rendering order.</summary>
    public IReadOnlyList<CollectorPipeline> Pipelines => _pipelines;

    /// <summary>The ids of every exporter a pipeline uses.</summary>
    public IEnumerable<string> Exporters => _exporters.Keys;

    /// <summary>The signals that have at least one pipeline.</summary>
    public IReadOnlySet<string> Signals => _pipelines.Select(pipeline => pipeline.Signal).ToHashSet(StringComparer.Ordinal);

    /// <summary>Sends traces, metrics and logs to the Aspire dashboard over OTLP gRPC.</summary>
    /// <param name="endpoint">The dashboard's OTLP gRPC endpoint as the collector sees it.</param>
    /// <param name="apiKey">The header value, usually an <c>${env:NAME}</c> reference; null when the dashboard accepts anonymous OTLP.</param>
    /// <param name="insecure">True when the endpoint is plain http.</param>
    public CollectorConfig WithDashboardExporter(string endpoint, string? apiKey, bool insecure)
    {
        var exporter = new Dictionary<string, object> { ["endpoint"] = endpoint };
        if (apiKey is not null)
        {
            exporter["headers"] = Map(DashboardApiKeyHeader, apiKey);
        }

        exporter["tls"] = insecure
            ? Map("insecure", true)
            // The local dashboard's development certificate is not trusted inside the container.
            : Map("insecure_skip_verify", true);
        _exporters[DashboardExporter] = exporter;

        _processors[BatchProcessor] = new Dictionary<string, object>();
        foreach (var signal in TelemetrySignals.All)
        {
            _pipelines.Add(new CollectorPipeline(signal, [MemoryLimiterProcessor, BatchProcessor], [DashboardExporter]));
        }

        return this;
    }

    /// <summary>
    /// Sends traces to X-Ray (by <see cref="AwsTelemetrySettings.TraceExport"/>), log records to CloudWatch Logs
    /// over its OTLP endpoint, and metrics to CloudWatch (by <see cref="AwsTelemetrySettings.MetricsExport"/>:
    /// every metric to the OTLP endpoint, or <see cref="CloudWatchMetrics"/> through EMF), all in
    /// <paramref name="region"/> with the credentials the collector finds (IRSA, Pod Identity, a profile).
    /// </summary>
    public CollectorConfig WithAws(string region, AwsTelemetrySettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(settings);

        // One cap on items per request for every AWS pipeline: X-Ray's span limit, which also fits
        // PutLogEvents' 10,000 events per batch.
        _processors[AwsBatchProcessor] = Map("send_batch_max_size", XRayMaxSpansPerRequest);

        // Names the log group on every span, so X-Ray shows a trace's log lines next to it.
        _processors[LogGroupResourceProcessor] = Map("attributes", new List<object>
        {
            new Dictionary<string, object> { ["key"] = LogGroupNamesAttribute, ["value"] = settings.LogGroup, ["action"] = "upsert" },
        });

        var traceExporter = settings.TraceExport == TraceExport.Otlp ? XRayOtlpExporter : XRayExporter;
        if (settings.TraceExport == TraceExport.Otlp)
        {
            _extensions[XRaySigV4Extension] = SigV4(region, AwsOtlpEndpoints.TracesService);
            _exporters[XRayOtlpExporter] = new Dictionary<string, object>
            {
                ["traces_endpoint"] = AwsOtlpEndpoints.Traces(region),
                ["compression"] = "gzip",
                ["auth"] = Map("authenticator", XRaySigV4Extension),
                ["sending_queue"] = Map("batch", SplitAbove(XRayMaxBytesPerRequest)),
            };
        }
        else
        {
            _exporters[XRayExporter] = Map("region", region);
        }

        _extensions[LogsSigV4Extension] = SigV4(region, AwsOtlpEndpoints.LogsService);
        _exporters[CloudWatchLogsExporter] = new Dictionary<string, object>
        {
            ["logs_endpoint"] = AwsOtlpEndpoints.Logs(region),
            ["compression"] = "gzip",
            ["headers"] = new Dictionary<string, object>
            {
                [LogGroupHeader] = settings.LogGroup,
                [LogStreamHeader] = settings.LogStream,
            },
            ["auth"] = Map("authenticator", LogsSigV4Extension),
            ["sending_queue"] = Map("batch", SplitAbove(LogsMaxBytesPerRequest)),
        };

        var metricsExporter = settings.MetricsExport == MetricsExport.Otlp ? WithOtlpMetrics(region) : WithEmfMetrics(region, settings);
        string[] metricsProcessors = settings.MetricsExport == MetricsExport.Otlp
            ? [MemoryLimiterProcessor, AwsBatchProcessor]
            : [MemoryLimiterProcessor, MetricsFilterProcessor, AwsBatchProcessor];

        _pipelines.Add(new CollectorPipeline(TelemetrySignals.Traces, [MemoryLimiterProcessor, LogGroupResourceProcessor, AwsBatchProcessor], [traceExporter], "aws"));
        _pipelines.Add(new CollectorPipeline(TelemetrySignals.Metrics, metricsProcessors, [metricsExporter], "aws"));
        _pipelines.Add(new CollectorPipeline(TelemetrySignals.Logs, [MemoryLimiterProcessor, AwsBatchProcessor], [CloudWatchLogsExporter], "aws"));
        return this;
    }

    /// <summary>Every metric to CloudWatch's OTLP endpoint, signed for <see cref="MetricsSigningService"/>, as AWS's collector example sends it.</summary>
    private string WithOtlpMetrics(string region)
    {
        _extensions[MetricsSigV4Extension] = SigV4(region, MetricsSigningService);
        _exporters[CloudWatchMetricsExporter] = new Dictionary<string, object>
        {
            ["metrics_endpoint"] = AwsOtlpEndpoints.Metrics(region),
            ["compression"] = "gzip",
            ["auth"] = Map("authenticator", MetricsSigV4Extension),
            // The exporter's default queue, made persistent on EKS like the others.
            ["sending_queue"] = new Dictionary<string, object>(),
        };
        return CloudWatchMetricsExporter;
    }

    /// <summary><see cref="CloudWatchMetrics"/> only, through EMF records in the metrics log group.</summary>
    private string WithEmfMetrics(string region, AwsTelemetrySettings settings)
    {
        _processors[MetricsFilterProcessor] = new Dictionary<string, object>
        {
            // Drops every metric that is not named here (OTTL in the metric context: a metric matching a condition is dropped).
            ["metric_conditions"] = new List<string>
            {
                string.Join(" and ", CloudWatchMetrics.Select(metric => $"metric.name != \"{metric.Metric}\"")),
            },
        };
        _exporters[EmfExporter] = new Dictionary<string, object>
        {
            ["region"] = region,
            ["namespace"] = settings.MetricsNamespace,
            ["log_group_name"] = settings.MetricsLogGroup,
            ["log_stream_name"] = settings.MetricsLogStream,
            // Only the declared dimension sets: no extra roll-up metrics to pay for.
            ["dimension_rollup_option"] = "NoDimensionRollup",
            // service.name is a resource attribute; as a label it can be a dimension.
            ["resource_to_telemetry_conversion"] = Map("enabled", true),
            ["metric_declarations"] = CloudWatchMetrics.Select(metric => (object)new Dictionary<string, object>
            {
                ["dimensions"] = new List<List<string>> { metric.Dimensions.ToList() },
                ["metric_name_selectors"] = new List<string> { $"^{metric.Metric.Replace(".", "\\.", StringComparison.Ordinal)}$" },
            }).ToList(),
        };
        return EmfExporter;
    }

    /// <summary>
    /// Keeps every exporter's sending queue on disk (<see cref="QueueStorageExtension"/> in
    /// <see cref="QueueDirectory"/>, at most <see cref="QueueMaxBytes"/> each), so a restarted collector
    /// container sends what it had queued. Call after the exporters are added; exporters without a
    /// sending queue (awsemf, awsxray) stay as they are.
    /// </summary>
    public CollectorConfig WithPersistentQueues()
    {
        var queues = _exporters.Values.OfType<Dictionary<string, object>>()
            .Select(exporter => exporter.GetValueOrDefault("sending_queue")).OfType<Dictionary<string, object>>().ToList();
        if (queues.Count == 0)
        {
            throw new InvalidOperationException("No exporter has a sending queue to persist: add the exporters before WithPersistentQueues.");
        }

        _extensions[QueueStorageExtension] = Map("directory", QueueDirectory);
        foreach (var queue in queues)
        {
            queue["storage"] = QueueStorageExtension;
            // Bytes, not the default 1,000 requests: a request can be 5 MB, and the disk is capped.
            queue["sizer"] = "bytes";
            queue["queue_size"] = QueueMaxBytes;
        }

        return this;
    }

    /// <summary>The configuration as nested maps and lists, in the collector's key order.</summary>
    public Dictionary<string, object> ToModel()
    {
        var processors = new Dictionary<string, object>
        {
            // First in every pipeline, so the collector refuses data before it runs out of memory.
            [MemoryLimiterProcessor] = new Dictionary<string, object>
            {
                ["check_interval"] = "1s",
                ["limit_percentage"] = 80,
                ["spike_limit_percentage"] = 25,
            },
        };
        foreach (var (name, settings) in _processors)
        {
            processors[name] = settings;
        }

        var extensions = new Dictionary<string, object>
        {
            [HealthCheckExtension] = Map("endpoint", Listen(AdotCollectorResource.HealthPort)),
        };
        foreach (var (name, settings) in _extensions)
        {
            extensions[name] = settings;
        }

        return new()
        {
            ["extensions"] = extensions,
            ["receivers"] = Map(OtlpReceiver, Map("protocols", new Dictionary<string, object>
            {
                ["grpc"] = Map("endpoint", Listen(AdotCollectorResource.GrpcPort)),
                ["http"] = Map("endpoint", Listen(AdotCollectorResource.HttpPort)),
            })),
            ["processors"] = processors,
            ["exporters"] = new Dictionary<string, object>(_exporters),
            ["service"] = new Dictionary<string, object>
            {
                ["extensions"] = extensions.Keys.ToList(),
                ["pipelines"] = _pipelines.ToDictionary(pipeline => pipeline.Id, pipeline => (object)new Dictionary<string, object>
                {
                    ["receivers"] = new List<string> { OtlpReceiver },
                    ["processors"] = pipeline.Processors.ToList(),
                    ["exporters"] = pipeline.Exporters.ToList(),
                }),
            },
        };
    }

    /// <summary>The configuration as YAML text for the collector's <c>--config</c>.</summary>
    public string ToYaml() => new SerializerBuilder().Build().Serialize(ToModel());

    private static Dictionary<string, object> SigV4(string region, string service) => new()
    {
        ["region"] = region,
        ["service"] = service,
    };

    /// <summary>The exporter queue's batcher set to split requests above <paramref name="maxBytes"/> (uncompressed) and merge nothing.</summary>
    private static Dictionary<string, object> SplitAbove(int maxBytes) => new()
    {
        ["sizer"] = "bytes",
        ["min_size"] = 0,
        ["max_size"] = maxBytes,
        ["flush_timeout"] = SplitFlushTimeout,
    };

    private static Dictionary<string, object> Map(string key, object value) => new() { [key] = value };

    private static string Listen(int port) => string.Create(CultureInfo.InvariantCulture, $"{AnyInterface}:{port}");
}

/// <summary>One collector pipeline: a signal, its processors and exporters; <c>traces/aws</c> when it has a qualifier.</summary>
internal sealed record CollectorPipeline(string Signal, IReadOnlyList<string> Processors, IReadOnlyList<string> Exporters, string? Qualifier = null)
{
    /// <summary>The pipeline's id in <c>service.pipelines</c>.</summary>
    public string Id => Qualifier is null ? Signal : $"{Signal}/{Qualifier}";
}
