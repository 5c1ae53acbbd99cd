using static AppHost.Tests.Yaml;

namespace AppHost.Tests.Collector;

public class CollectorConfigTests
{
    private const string DashboardEndpoint = "${env:OTEL_EXPORTER_OTLP_ENDPOINT}";
    private const string ApiKeyReference = "${env:ASPIRE_DASHBOARD_OTLP_API_KEY}";

    private static Dictionary<object, object> DashboardOnly() =>
        Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: true).ToYaml());

    private static Dictionary<object, object> DashboardAndAws(string region, AwsTelemetrySettings? settings = null) =>
        Parse(new CollectorConfig()
            .WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: true)
            .WithAws(region, settings ?? AwsTelemetrySettings.Default)
            .ToYaml());

    [Fact]
    public void Config_receives_otlp_grpc_on_4317_and_http_on_4318_on_all_interfaces()
    {
        var config = DashboardOnly();

        Assert.Equal("0.0.0.0:4317", Text(config, "receivers", "otlp", "protocols", "grpc", "endpoint"));
        Assert.Equal("0.0.0.0:4318", Text(config, "receivers", "otlp", "protocols", "http", "endpoint"));
    }

    [Fact]
    public void Config_enables_the_health_check_extension_on_the_health_port()
    {
        var config = DashboardOnly();

        Assert.Equal("0.0.0.0:13133", Text(config, "extensions", "health_check", "endpoint"));
        Assert.Equal(["health_check"], List(config, "service", "extensions"));
    }

    [Fact]
    public void Every_pipeline_receives_otlp_and_runs_memory_limiter_first()
    {
        var pipelines = Map(DashboardAndAws("us-west-2"), "service", "pipelines");

        Assert.Equal(["traces", "metrics", "logs", "traces/aws", "metrics/aws", "logs/aws"], pipelines.Keys.Cast<string>());
        foreach (var pipeline in pipelines.Values)
        {
            Assert.Equal(["otlp"], List(pipeline, "receivers"));
            Assert.Equal("memory_limiter", List(pipeline, "processors")[0]);
        }
    }

    [Fact]
    public void Without_aws_settings_every_signal_goes_to_the_dashboard_only()
    {
        var config = DashboardOnly();

        Assert.Equal(["otlp_grpc/aspire-dashboard"], Map(config, "exporters").Keys.Cast<string>());
        Assert.Equal(["traces", "metrics", "logs"], Map(config, "service", "pipelines").Keys.Cast<string>());
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            Assert.Equal(["memory_limiter", "batch"], List(config, "service", "pipelines", signal, "processors"));
            Assert.Equal(["otlp_grpc/aspire-dashboard"], List(config, "service", "pipelines", signal, "exporters"));
        }
    }

    [Fact]
    public void With_a_region_traces_go_to_the_xray_otlp_endpoint_signed_with_sigv4_and_gzipped()
    {
        var config = DashboardAndAws("eu-west-2");

        var exporter = Map(config, "exporters", "otlp_http/xray");
        Assert.Equal("https://xray.eu-west-2.amazonaws.com/v1/traces", Text(exporter, "traces_endpoint"));
        Assert.Equal("gzip", Text(exporter, "compression"));
        Assert.Equal("sigv4auth/xray", Text(exporter, "auth", "authenticator"));
        Assert.Equal("eu-west-2", Text(config, "extensions", "sigv4auth/xray", "region"));
        Assert.Equal("xray", Text(config, "extensions", "sigv4auth/xray", "service"));
        Assert.Equal(["health_check", "sigv4auth/xray", "sigv4auth/logs", "sigv4auth/monitoring"], List(config, "service", "extensions"));
        Assert.Equal(["otlp_http/xray"], List(config, "service", "pipelines", "traces/aws", "exporters"));
        Assert.False(Map(config, "exporters").ContainsKey("awsxray"));
    }

    [Fact]
    public void Xray_requests_stay_within_ten_thousand_spans_and_five_megabytes()
    {
        var config = DashboardAndAws("us-west-2");

        Assert.Equal(["memory_limiter", "resource/aws-log-group", "batch/aws"], List(config, "service", "pipelines", "traces/aws", "processors"));
        Assert.Equal("10000", Text(config, "processors", "batch/aws", "send_batch_max_size"));
        // The exporter's queue splits any request above 5 MB and, with min_size 0, merges none.
        var split = Map(config, "exporters", "otlp_http/xray", "sending_queue", "batch");
        Assert.Equal(("bytes", "0", "5000000"), (Text(split, "sizer"), Text(split, "min_size"), Text(split, "max_size")));
    }

    [Fact]
    public void Spans_name_the_log_group_so_xray_links_a_trace_to_its_logs()
    {
        var config = DashboardAndAws("us-west-2", AwsTelemetrySettings.Default with { LogGroup = "/team/api" });

        var attribute = Map(Assert.Single(Assert.IsType<List<object>>(At(config, "processors", "resource/aws-log-group", "attributes"))));
        Assert.Equal(("aws.log.group.names", "/team/api", "upsert"), (Text(attribute, "key"), Text(attribute, "value"), Text(attribute, "action")));
    }

    [Fact]
    public void TraceExport_xray_sends_traces_with_the_awsxray_exporter_instead()
    {
        var config = DashboardAndAws("us-east-1", AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay });

        Assert.Equal("us-east-1", Text(config, "exporters", "awsxray", "region"));
        Assert.Equal(["awsxray"], List(config, "service", "pipelines", "traces/aws", "exporters"));
        Assert.False(Map(config, "exporters").ContainsKey("otlp_http/xray"));
        Assert.False(Map(config, "extensions").ContainsKey("sigv4auth/xray"));
    }

    [Fact]
    public void Logs_go_to_the_cloudwatch_logs_otlp_endpoint_with_the_group_and_stream_of_the_settings()
    {
        var config = DashboardAndAws("eu-west-2", AwsTelemetrySettings.Default with { LogGroup = "/team/api", LogStream = "pods" });

        var exporter = Map(config, "exporters", "otlp_http/cloudwatch-logs");
        Assert.Equal("https://logs.eu-west-2.amazonaws.com/v1/logs", Text(exporter, "logs_endpoint"));
        Assert.Equal("/team/api", Text(exporter, "headers", "x-aws-log-group"));
        Assert.Equal("pods", Text(exporter, "headers", "x-aws-log-stream"));
        Assert.Equal("sigv4auth/logs", Text(exporter, "auth", "authenticator"));
        Assert.Equal("logs", Text(config, "extensions", "sigv4auth/logs", "service"));
        Assert.Equal(["otlp_http/cloudwatch-logs"], List(config, "service", "pipelines", "logs/aws", "exporters"));
    }

    [Fact]
    public void Metrics_go_to_the_monitoring_endpoint_every_one_of_them_signed_for_monitoring()
    {
        var config = DashboardAndAws("us-west-2");

        var exporter = Map(config, "exporters", "otlp_http/cloudwatch-metrics");
        Assert.Equal("https://monitoring.us-west-2.amazonaws.com/v1/metrics", Text(exporter, "metrics_endpoint"));
        Assert.Equal("sigv4auth/monitoring", Text(exporter, "auth", "authenticator"));
        Assert.Equal(("us-west-2", "monitoring"), (Text(config, "extensions", "sigv4auth/monitoring", "region"), Text(config, "extensions", "sigv4auth/monitoring", "service")));
        Assert.Contains("sigv4auth/monitoring", List(config, "service", "extensions"));
        // No filter: every metric SampleApi exports goes.
        Assert.Equal(["memory_limiter", "batch/aws"], List(config, "service", "pipelines", "metrics/aws", "processors"));
        Assert.Equal(["otlp_http/cloudwatch-metrics"], List(config, "service", "pipelines", "metrics/aws", "exporters"));
        Assert.DoesNotContain(Map(config, "processors").Keys.Cast<string>(), id => id.StartsWith("filter", StringComparison.Ordinal));
        Assert.False(Map(config, "exporters").ContainsKey("awsemf"));
    }

    [Fact]
    public void With_metrics_export_emf_only_the_stated_metrics_go_to_cloudwatch_with_their_dimensions_and_no_rollups()
    {
        var config = DashboardAndAws("us-west-2", AwsTelemetrySettings.Default with { MetricsExport = MetricsExport.Emf, MetricsNamespace = "Shop/Api" });

        Assert.Equal(["memory_limiter", "filter/cloudwatch-metrics", "batch/aws"], List(config, "service", "pipelines", "metrics/aws", "processors"));
        Assert.Equal(
            ["metric.name != \"http.server.request.duration\" and metric.name != \"dotnet.process.memory.working_set\""],
            List(config, "processors", "filter/cloudwatch-metrics", "metric_conditions"));
        var emf = Map(config, "exporters", "awsemf");
        Assert.Equal(("Shop/Api", "/aspire-xray/metrics", "emf"), (Text(emf, "namespace"), Text(emf, "log_group_name"), Text(emf, "log_stream_name")));
        Assert.Equal("NoDimensionRollup", Text(emf, "dimension_rollup_option"));
        var declarations = Assert.IsType<List<object>>(At(emf, "metric_declarations"));
        Assert.Equal(
            ["^http\\.server\\.request\\.duration$ service.name,http.route,http.response.status_code", "^dotnet\\.process\\.memory\\.working_set$ service.name"],
            declarations.Select(declaration =>
                $"{List(declaration, "metric_name_selectors").Single()} {string.Join(',', Assert.IsType<List<object>>(Assert.Single(Assert.IsType<List<object>>(At(declaration, "dimensions")))).Cast<string>())}"));
    }

    [Fact]
    public void China_regions_use_the_amazonaws_com_cn_endpoints()
    {
        var config = DashboardAndAws("cn-north-1");

        Assert.Equal("https://xray.cn-north-1.amazonaws.com.cn/v1/traces", Text(config, "exporters", "otlp_http/xray", "traces_endpoint"));
        Assert.Equal("https://logs.cn-north-1.amazonaws.com.cn/v1/logs", Text(config, "exporters", "otlp_http/cloudwatch-logs", "logs_endpoint"));
        Assert.Equal("https://monitoring.cn-north-1.amazonaws.com.cn/v1/metrics", Text(config, "exporters", "otlp_http/cloudwatch-metrics", "metrics_endpoint"));
    }

    [Fact]
    public void Dashboard_exporter_sends_the_otlp_api_key_header_to_the_dashboard_endpoint()
    {
        var exporter = Map(DashboardOnly(), "exporters", "otlp_grpc/aspire-dashboard");

        Assert.Equal(DashboardEndpoint, Text(exporter, "endpoint"));
        Assert.Equal(ApiKeyReference, Text(exporter, "headers", "x-otlp-api-key"));
    }

    [Fact]
    public void Dashboard_exporter_sends_no_header_when_the_dashboard_takes_anonymous_otlp()
    {
        var config = Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, apiKey: null, insecure: true).ToYaml());

        Assert.False(Map(config, "exporters", "otlp_grpc/aspire-dashboard").ContainsKey("headers"));
    }

    [Theory]
    [InlineData(true, "insecure")]
    [InlineData(false, "insecure_skip_verify")]
    public void Tls_is_insecure_only_for_a_plain_http_dashboard(bool http, string expectedTlsKey)
    {
        var config = Parse(new CollectorConfig().WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: http).ToYaml());

        var tls = Map(config, "exporters", "otlp_grpc/aspire-dashboard", "tls");
        Assert.Equal([expectedTlsKey], tls.Keys.Cast<string>());
        Assert.Equal("true", Text(tls, expectedTlsKey));
    }

    [Fact]
    public void Aws_alone_has_a_pipeline_per_signal_and_no_dashboard()
    {
        var config = Parse(new CollectorConfig().WithAws("us-east-1", AwsTelemetrySettings.Default).ToYaml());

        Assert.Equal(["traces/aws", "metrics/aws", "logs/aws"], Map(config, "service", "pipelines").Keys.Cast<string>());
        Assert.False(Map(config, "exporters").ContainsKey("otlp_grpc/aspire-dashboard"));
    }

    [Fact]
    public void Sending_queues_stay_in_memory_unless_persisted_and_persisting_needs_a_queued_exporter()
    {
        var local = DashboardAndAws("us-east-1");

        Assert.False(Map(local, "extensions").ContainsKey(CollectorConfig.QueueStorageExtension));
        Assert.False(Map(local, "exporters", CollectorConfig.XRayOtlpExporter, "sending_queue").ContainsKey("storage"));
        var dashboardOnly = new CollectorConfig().WithDashboardExporter(DashboardEndpoint, ApiKeyReference, insecure: true);
        Assert.Throws<InvalidOperationException>(() => dashboardOnly.WithPersistentQueues());
    }
}
