using System.Text.RegularExpressions;
using AppHost.Tests.Eks;
using static AppHost.Tests.Yaml;

namespace AppHost.Tests.Collector;

/// <summary>
/// No rendering of the collector definition, and no page of docs, uses a component type or field the
/// collector has deprecated. The list and its sources: opentelemetry-collector v0.156.0 (the one ADOT
/// v0.49.0 builds on) registers <c>otlp</c> and <c>otlphttp</c> only as deprecated aliases of the
/// <c>otlp_grpc</c> and <c>otlp_http</c> exporters (<c>exporter/otlpexporter</c> and
/// <c>exporter/otlphttpexporter</c>, <c>internal/metadata/generated_status.go</c>: <c>DeprecatedType</c>;
/// CHANGELOG v0.144.0, #14403 and #14396); opentelemetry-collector-contrib's filter processor marks
/// <c>metrics</c>, <c>logs</c>, <c>traces</c> and <c>profiles</c> deprecated in favour of
/// <c>metric_conditions</c>, <c>log_conditions</c>, <c>trace_conditions</c> and <c>profile_conditions</c>
/// (<c>processor/filterprocessor/config.go</c>).
/// </summary>
public class DeprecatedComponentNamesTests
{
    /// <summary>Exporter types that load only through a deprecated alias.</summary>
    public static readonly string[] DeprecatedExporterTypes = ["otlp", "otlphttp"];

    /// <summary>Filter processor keys that are deprecated.</summary>
    public static readonly string[] DeprecatedFilterKeys = ["metrics", "logs", "traces", "profiles"];

    public static TheoryData<string> Renderings() => new(RenderedConfigs().Keys);

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Collector_configs_use_no_deprecated_exporter_type(string rendering)
    {
        var config = RenderedConfigs()[rendering];

        var exporterTypes = Map(config, "exporters").Keys.Cast<string>().Select(id => id.Split('/')[0]);
        Assert.DoesNotContain(exporterTypes, DeprecatedExporterTypes.Contains);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Collector_configs_use_no_deprecated_filter_key(string rendering)
    {
        var config = RenderedConfigs()[rendering];

        var filters = Map(config, "processors").Where(processor => ((string)processor.Key).Split('/')[0] == "filter");
        Assert.All(filters, filter => Assert.DoesNotContain(Assert.IsType<Dictionary<object, object>>(filter.Value).Keys.Cast<string>(), DeprecatedFilterKeys.Contains));
    }

    [Fact]
    public void Every_rendering_is_checked_including_a_filter()
    {
        Assert.Contains(RenderedConfigs().Values, config => Map(config, "processors").Keys.Cast<string>().Any(id => id.StartsWith("filter/", StringComparison.Ordinal)));
        Assert.Equal(["eks configmap", "eks-adot-addon cr", "local aws", "local aws (emf metrics)", "local aws (xray traces)"], RenderedConfigs().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Docs_name_no_deprecated_exporter_type()
    {
        // An exporter id such as otlphttp/xray or otlp/aspire-dashboard (not a URL path); the otlp receiver keeps its name.
        var deprecated = new Regex(@"\botlphttp\b|(?<![\w/])otlp/[a-z]", RegexOptions.CultureInvariant);
        var pages = Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(Repository.Root, "README.md"));

        var hits = pages.SelectMany(page => File.ReadLines(page).Where(line => deprecated.IsMatch(line)).Select(line => $"{Path.GetFileName(page)}: {line.Trim()}"));
        Assert.Empty(hits);
    }

    private static Dictionary<string, Dictionary<object, object>> RenderedConfigs()
    {
        const string Region = "us-west-2";
        Dictionary<object, object> Local(AwsTelemetrySettings settings) => Parse(new CollectorConfig()
            .WithDashboardExporter("${env:OTEL_EXPORTER_OTLP_ENDPOINT}", null, insecure: true)
            .WithAws(Region, settings)
            .ToYaml());

        var configMap = File.ReadAllText(Path.Combine(Repository.Manifests, "eks-collector", "collector.yaml"));
        var cr = Map(Parse(File.ReadAllText(Path.Combine(Repository.Manifests, "eks-adot-addon", "collector.yaml"))), "spec", "config");
        return new(StringComparer.Ordinal)
        {
            ["local aws"] = Local(AwsTelemetrySettings.Default),
            ["local aws (xray traces)"] = Local(AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay }),
            ["local aws (emf metrics)"] = Local(AwsTelemetrySettings.Default with { MetricsExport = MetricsExport.Emf }),
            ["eks configmap"] = Parse(configMap),
            ["eks-adot-addon cr"] = cr,
        };
    }
}
