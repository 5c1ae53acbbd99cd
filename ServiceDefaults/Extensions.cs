using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Defaults every service in this solution shares: OpenTelemetry (traces, metrics, logs) exported
/// over OTLP, X-Ray-compatible trace ids, health checks, service discovery and resilience.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Readiness endpoint: every registered health check must pass.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the health checks that decide liveness.</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// Longest the host's stop waits for telemetry to be delivered: the SDK's flush into the export
    /// buffer and the buffer's delivery share this one deadline; what is still held then is dropped,
    /// counted and summed up on stderr. A pod's grace period must exceed it.
    /// </summary>
    public const int ExportFlushSeconds = 5;

    /// <summary>Adds OpenTelemetry, health checks, service discovery and HttpClient resilience.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Configures tracing, metrics and logging. The exporter is set only by the standard
    /// <c>OTEL_*</c> settings (<c>OTEL_EXPORTER_OTLP_*</c>, and <c>OTEL_{TRACES,METRICS,LOGS}_EXPORTER</c>
    /// = <c>otlp</c> or <c>none</c>; see <see cref="TelemetrySignals"/>); batch queue and batch sizes default to values measured under full
    /// load (docs/benchmarks/README.md), which <c>OTEL_BSP_*</c>/<c>OTEL_BLRP_*</c> override. The
    /// sampler honours <c>OTEL_TRACES_SAMPLER</c>/<c>_ARG</c> (the SDK's default is parent-based always-on). Propagation follows <c>OTEL_PROPAGATORS</c>
    /// (default <c>tracecontext,baggage,xray</c>; see docs/xray-interop.md); the resource carries
    /// service, Kubernetes and EKS attributes; every request gets its X-Ray trace id as a log scope
    /// and an <c>X-Amzn-Trace-Id</c> response header.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        XRayTraceId.UseForRootActivities(TimeProvider.System);
        builder.ConfigurePropagation();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, XRayTraceIdStartupFilter>());

        // OpenTelemetry log records carry the trace and span ids in their own fields; the host's
        // default SpanId/TraceId/ParentId scope would export them again as three string
        // attributes on every record (docs/benchmarks/README.md).
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var applicationName = builder.Environment.ApplicationName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddDetector(services => new ServiceResourceDetector(
                    services.GetRequiredService<IConfiguration>(), applicationName, InformationalVersionOf(applicationName)))
                // Again after ours, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES keep the last word.
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                // What was dropped, and why: the SDK's queues and the export buffer (docs/benchmarks/README.md).
                .AddMeter(MetricViews.SdkSelfObservabilityMeter, ExportReport.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddView(MetricViews.Select)
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(applicationName)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes would drown the traces that matter.
                    aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        // Batch export runs in the background: an absent collector costs dropped telemetry (past
        // bounded buffers), never a blocked or failed request.
        OtlpExportDefaults.AddTo(builder.Configuration);
        var exported = TelemetrySignals.Exported(builder.Configuration);
        // One exporter per signal exported, so that a signal set to none is never sent to a collector
        // that has no pipeline for it; each named after its signal, with its own OTEL_EXPORTER_OTLP_{SIGNAL}_*
        // settings applied (AddOtlpExporter reads only the shared ones).
        // A signal with an OtlpCopy endpoint gets a second exporter, added right after its first, so that the
        // flush processor added after both waits for both.
        var otel = builder.Services.AddOpenTelemetry();
        var configuration = builder.Configuration;
        var copies = OtlpCopy.Endpoints(configuration, exported);
        void AddExporters<TSignalBuilder>(TSignalBuilder signalBuilder, string signal, Action<TSignalBuilder, string, Action<OtlpExporterOptions>> addOtlpExporter)
        {
            addOtlpExporter(signalBuilder, signal, options => OtlpSignalOptions.Apply(options, configuration, signal));
            if (copies.TryGetValue(signal, out var copy))
            {
                addOtlpExporter(signalBuilder, OtlpCopy.ExporterName(signal), options => OtlpSignalOptions.ApplyCopy(options, configuration, signal, copy));
            }
        }

        if (exported.Contains(TelemetrySignals.Traces))
        {
            otel.WithTracing(tracing => AddExporters(tracing, TelemetrySignals.Traces, (traces, name, configure) => traces.AddOtlpExporter(name, configure)));
        }

        if (exported.Contains(TelemetrySignals.Metrics))
        {
            otel.WithMetrics(metrics => AddExporters(metrics, TelemetrySignals.Metrics, (meters, name, configure) => meters.AddOtlpExporter(name, configure)));
        }

        if (exported.Contains(TelemetrySignals.Logs))
        {
            builder.Logging.AddOpenTelemetry(logging => AddExporters(logging, TelemetrySignals.Logs, (logs, name, configure) => logs.AddOtlpExporter(name, configure)));
        }

        if (exported.Count > 0)
        {
            // Resolved here, so that a missing setting or credential stops the start with one message.
            var aws = AwsExport.From(builder.Configuration, exported, copies);
            var credentials = aws is { NeedsCredentials: true } ? AwsCredentialSource.FromDefaultChain() : null;
            builder.AddExportBuffer(credentials, copies.Keys);
        }

        return builder;
    }

    /// <summary>
    /// Puts <see cref="ExportBuffer"/> under every OTLP exporter (the one retry policy for telemetry:
    /// the SDK's own retry never sees a failure, and the HttpClient defaults above, resilience and
    /// service discovery, are not applied to export), and a flush processor after each trace and log
    /// exporter, so that ForceFlush and shutdown wait for delivery. <c>OtlpExportBuffer:Enabled=false</c>
    /// hands export back to the SDK unchanged, but for the SigV4 signer under its HttpClient when
    /// <paramref name="credentials"/> are given. The <paramref name="copied"/> signals' copy exporters get lanes of their own.
    /// </summary>
    private static void AddExportBuffer(this IHostApplicationBuilder builder, AwsCredentialSource? credentials, IEnumerable<string> copied)
    {
        var settings = ExportBufferSettings.From(builder.Configuration);
        if (!settings.Enabled)
        {
            if (credentials is not null)
            {
                builder.Services.AddSingleton<IConfigureOptions<OtlpExporterOptions>>(services => new ConfigureNamedOptions<OtlpExporterOptions>(
                    name: null, options => options.HttpClientFactory = () => new HttpClient(ExportSender.Create(settings, credentials, services))
                    {
                        Timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds),
                    }));
            }

            return;
        }

        var copiedSignals = copied.Select(signal => Enum.Parse<OtlpSignal>(signal, ignoreCase: true)).ToHashSet();
        builder.Services.AddSingleton(services => new ExportBuffer(
            settings, ExportSender.Create(settings, credentials, services), TimeProvider.System, Console.Error, copied: copiedSignals));
        // Resolving the buffer here, while the first provider builds its exporter, makes the
        // container dispose it after the providers: their final flush still finds it open.
        void SendThroughBuffer(string? exporterName, ExportDestination destination) =>
            builder.Services.AddSingleton<IConfigureOptions<OtlpExporterOptions>>(services => new ConfigureNamedOptions<OtlpExporterOptions, ExportBuffer>(
                exporterName, services.GetRequiredService<ExportBuffer>(), (options, buffer) =>
                    options.HttpClientFactory = () => new HttpClient(new ExportBufferHandler(buffer, destination)) { Timeout = Timeout.InfiniteTimeSpan }));
        // Every name: each signal's exporter has options named after the signal.
        SendThroughBuffer(null, ExportDestination.Primary);
        // Registered after the one above, so each copy exporter's own handler wins.
        foreach (var signal in copied)
        {
            SendThroughBuffer(OtlpCopy.ExporterName(signal), ExportDestination.Copy);
        }

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddProcessor(services =>
                new ExportFlushProcessor<Activity>(services.GetRequiredService<ExportBuffer>(), OtlpSignal.Traces)))
            .WithLogging(logging => logging.AddProcessor(services =>
                new ExportFlushProcessor<LogRecord>(services.GetRequiredService<ExportBuffer>(), OtlpSignal.Logs)));
    }

    /// <summary>Adds a liveness check that reports the process responsive.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness) and <c>/alive</c> (liveness) in every environment, since
    /// Kubernetes probes them in Production. Responses carry only the status word.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });
        return app;
    }

    /// <summary>
    /// Installs the <c>OTEL_PROPAGATORS</c> selection process-wide (like <see cref="Activity.TraceIdGenerator"/>)
    /// and makes ASP.NET Core hosting and the runtime's HttpClient handler use it too.
    /// </summary>
    private static void ConfigurePropagation(this IHostApplicationBuilder builder)
    {
        var selection = PropagatorSelection.Parse(builder.Configuration[PropagatorSelection.SettingName]);
        Sdk.SetDefaultTextMapPropagator(selection.Propagator);

        var bridge = new OpenTelemetryDistributedContextPropagator();
        DistributedContextPropagator.Current = bridge;
        // Hosting registered the previous Current while the builder was created.
        builder.Services.Replace(ServiceDescriptor.Singleton<DistributedContextPropagator>(bridge));

        builder.Services.AddSingleton(selection);
        builder.Services.AddHostedService<UnknownPropagatorsWarning>();
    }

    private static string? InformationalVersionOf(string assemblyName)
    {
        try
        {
            return Assembly.Load(new AssemblyName(assemblyName))
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        }
        catch (IOException)
        {
            return null; // not an assembly name (e.g. a customised ApplicationName): no version
        }
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
