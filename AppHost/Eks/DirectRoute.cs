using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AppHost.Eks;

/// <summary>
/// The direct EKS route (<c>manifests/eks-direct</c>): no collector; each project sends its signals straight to
/// AWS's OTLP endpoints (<see cref="AwsOtlpEndpoints"/>), signed by ServiceDefaults, with the standard per-signal
/// endpoint variables, and its service account's role holds what those endpoints need. The publish-mode model
/// takes this shape when <see cref="Setting"/> is <see cref="Direct"/>, which the <c>eks-manifests</c> step passes
/// to the child that writes the direct route's Aspire manifest: the projects' environment is made there, in the
/// app model, not patched into Aspirate's output.
/// </summary>
internal static class DirectRoute
{
    /// <summary>Which EKS route a publish-mode model is shaped for; only <see cref="Direct"/> changes anything.</summary>
    public const string Setting = "Eks:Route";
    public const string Direct = "direct";

    /// <summary>AWS's OTLP endpoints take OTLP over HTTP only (docs/aws-direct.md [2]); .NET's default is gRPC.</summary>
    public const string HttpProtobufProtocol = "http/protobuf";

    public const string LogsHeadersVariable = "OTEL_EXPORTER_OTLP_LOGS_HEADERS";

    /// <summary>
    /// Each signal a project sends → the collector exporter that sends it to the same AWS endpoint. The IAM
    /// policy comes from those exporters' rows in <see cref="CollectorIam"/>, so the direct route and the collector
    /// routes grant the same actions for the same endpoint from one table.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> EndpointExporters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TelemetrySignals.Traces] = CollectorConfig.XRayOtlpExporter,
        [TelemetrySignals.Metrics] = CollectorConfig.CloudWatchMetricsExporter,
        [TelemetrySignals.Logs] = CollectorConfig.CloudWatchLogsExporter,
    };

    /// <summary>What the projects send: every signal ServiceDefaults exports.</summary>
    public static IReadOnlyList<string> Signals => TelemetrySignals.All;

    /// <summary>True when the publish-mode model is being written for the direct route.</summary>
    public static bool IsOn(IConfiguration configuration) =>
        string.Equals(configuration[Setting]?.Trim(), Direct, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A project's OTLP settings on the direct route: http/protobuf, one endpoint per signal in the EKS region
    /// (which alone turns that signal on), and the log group and stream the logs endpoint writes to.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(string region, AwsTelemetrySettings telemetry)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(telemetry);
        return
        [
            new(AdotCollectorBuilderExtensions.OtlpProtocolVariable, HttpProtobufProtocol),
            new(TelemetrySignals.EndpointSettingOf(TelemetrySignals.Traces), AwsOtlpEndpoints.Traces(region)),
            new(TelemetrySignals.EndpointSettingOf(TelemetrySignals.Metrics), AwsOtlpEndpoints.Metrics(region)),
            new(TelemetrySignals.EndpointSettingOf(TelemetrySignals.Logs), AwsOtlpEndpoints.Logs(region)),
            new(LogsHeadersVariable, AwsOtlpEndpoints.LogsHeaders(telemetry)),
        ];
    }

    /// <summary>The projects' inline policy: exactly what the endpoints of <see cref="Signals"/> need.</summary>
    public static IamPolicyDocument Policy(EksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CollectorIam.PolicyFor(Exporters, settings.Scope);
    }

    /// <summary>
    /// What AWS documents for the endpoints the projects send to, from the same exporter rows as <see cref="Policy"/>:
    /// what <c>check.sh direct</c> simulates against the projects' role.
    /// </summary>
    public static IEnumerable<IamGrant> DocumentedActions(AwsScope scope) => AwsDocumentedActions.For(Exporters, scope);

    /// <summary>The exporter rows standing for the endpoints the projects send to.</summary>
    public static IEnumerable<string> Exporters => Signals.Select(signal => EndpointExporters[signal]);

    /// <summary>
    /// The settings the child that writes the direct route's Aspire manifest needs, as arguments: the route, and what
    /// <see cref="Environment"/> reads, from the settings the step has already checked (the child does not see
    /// values given to the step on its command line).
    /// </summary>
    public static IReadOnlyList<string> ManifestArguments(EksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            $"--{Setting}={Direct}",
            $"--{EksSettings.Section}:{nameof(EksSettings.Region)}={settings.Region}",
            $"--{EksSettings.Section}:{nameof(AwsTelemetrySettings.LogGroup)}={settings.Telemetry.LogGroup}",
            $"--{EksSettings.Section}:{nameof(AwsTelemetrySettings.LogStream)}={settings.Telemetry.LogStream}",
        ];
    }

    /// <summary>Gives every project of <paramref name="model"/> the direct route's OTLP settings, read from <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The region or a telemetry setting is missing or malformed.</exception>
    public static void SendStraightToAws(DistributedApplicationModel model, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(configuration);
        var region = configuration[$"{EksSettings.Section}:{nameof(EksSettings.Region)}"] is { } value && AwsRegion.IsValid(value)
            ? value
            : throw new InvalidOperationException($"The direct route's manifest needs a valid {EksSettings.Section}:{nameof(EksSettings.Region)}.");
        var environment = Environment(region, AwsTelemetrySettings.Read(configuration, EksSettings.Section, key => $"with --{key}=VALUE"));
        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                foreach (var (name, value) in environment)
                {
                    context.EnvironmentVariables[name] = value;
                }

                // As on the collector routes: the SDK's own retry never sees a failure behind ServiceDefaults' export buffer.
                context.EnvironmentVariables.Remove(AdotCollectorBuilderExtensions.SdkRetryVariable);
            }));
        }
    }
}
