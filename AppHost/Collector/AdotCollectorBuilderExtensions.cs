namespace Aspire.Hosting;

/// <summary>Adds the ADOT collector to the app model and points the projects at it.</summary>
public static class AdotCollectorBuilderExtensions
{
    internal const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    internal const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    internal const string OtlpHeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";
    internal const string GrpcProtocol = "grpc";

    /// <summary>
    /// Aspire sets this on every project; it turns on the OTel .NET exporter's own retry, which never sees
    /// a failure here (ServiceDefaults' export buffer retries first), so published projects go without it.
    /// </summary>
    internal const string SdkRetryVariable = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>The generated configuration in run mode, under ADOT's documented config-content variable.</summary>
    internal const string ConfigVariable = "AOT_CONFIG_CONTENT";

    /// <summary>
    /// Where the published collector reads its configuration: a file the deployment mounts, since
    /// manifest tools such as Aspirate drop bind mounts and mangle multi-line environment values but
    /// pass a container argument intact. The EKS overlays mount the generated ConfigMap here.
    /// </summary>
    internal const string PublishedConfigDirectory = "/conf";
    internal const string PublishedConfigFile = "collector.yaml";

    /// <summary>The dashboard's OTLP API key, referenced from the configuration rather than written into it.</summary>
    internal const string DashboardApiKeyVariable = "ASPIRE_DASHBOARD_OTLP_API_KEY";

    // Where Aspire keeps the dashboard's OTLP endpoint and API key.
    internal const string DashboardOtlpUrlSetting = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    internal const string DashboardOtlpApiKeySetting = "AppHost:OtlpApiKey";

    /// <summary>
    /// Adds the AWS Distro for OpenTelemetry collector: OTLP gRPC on 4317, OTLP HTTP on 4318 and its
    /// health endpoint on 13133 (the resource's health check). Running locally it gets a configuration
    /// generated from the app model (dashboard, plus X-Ray, CloudWatch Logs and CloudWatch metrics when it
    /// references AWS settings with a region; see <see cref="CollectorConfig"/>);
    /// when publishing it reads <c>/conf/collector.yaml</c>, which the deployment mounts.
    /// </summary>
    /// <remarks>
    /// <c>Collector:Mode</c> decides whether it runs: <c>auto</c> (default) only when Docker or Podman
    /// answers, <c>container</c> always, <c>off</c> never. When it does not run, the resource stays out
    /// of the model (calls on the returned builder have no effect) and one log line says so.
    /// It always runs when publishing.
    /// </remarks>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <returns>The collector's resource builder.</returns>
    public static IResourceBuilder<AdotCollectorResource> AddAdotCollector(
        this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var collector = new AdotCollectorResource(name);
        var skipReason = CollectorFallback.SkipReason(builder);
        var resource = skipReason is null ? builder.AddResource(collector) : builder.CreateResourceBuilder(collector);
        resource
            .WithImage(AdotCollectorImage.Image, AdotCollectorImage.Tag)
            .WithImageRegistry(AdotCollectorImage.Registry)
            .WithEndpoint(targetPort: AdotCollectorResource.GrpcPort, name: AdotCollectorResource.GrpcEndpointName, scheme: "http")
            // OTLP gRPC runs over HTTP/2.
            .WithEndpoint(AdotCollectorResource.GrpcEndpointName, endpoint => endpoint.Transport = "http2")
            .WithHttpEndpoint(targetPort: AdotCollectorResource.HttpPort, name: AdotCollectorResource.HttpEndpointName)
            .WithHttpEndpoint(targetPort: AdotCollectorResource.HealthPort, name: AdotCollectorResource.HealthEndpointName);

        if (skipReason is not null)
        {
            collector.NotStartedReason = skipReason;
            CollectorFallback.LogAtStart(builder, skipReason);
            return resource;
        }

        resource.WithHttpHealthCheck("/", endpointName: AdotCollectorResource.HealthEndpointName);
        return builder.ExecutionContext.IsRunMode
            ? resource.WithGeneratedConfig()
            : resource.WithArgs($"--config={PublishedConfigDirectory}/{PublishedConfigFile}");
    }

    /// <summary>
    /// Points every project's OTLP exporter at the collector's gRPC endpoint (when the collector
    /// runs), as a full URL: <c>http://{host}:{port}</c>. The dashboard's API key header is removed:
    /// the collector does not ask for it, and the key then stays with the collector alone. When
    /// publishing, Aspire's <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY</c> is removed too: it has no effect
    /// behind ServiceDefaults' export buffer.
    /// </summary>
    /// <param name="builder">The collector's resource builder.</param>
    /// <returns>The collector's resource builder.</returns>
    public static IResourceBuilder<AdotCollectorResource> ReceiveTelemetryFromAllProjects(
        this IResourceBuilder<AdotCollectorResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var collector = builder.Resource;
        // Subscribed rather than applied now, so projects added later are included too.
        builder.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            if (e.Model.Resources.Contains(collector))
            {
                foreach (var project in e.Model.Resources.OfType<ProjectResource>())
                {
                    project.Annotations.Add(new EnvironmentCallbackAnnotation(context => ExportTo(collector, context)));
                }
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    private static void ExportTo(AdotCollectorResource collector, EnvironmentCallbackContext context)
    {
        context.EnvironmentVariables[OtlpEndpointVariable] = collector.GrpcUrl;
        context.EnvironmentVariables[OtlpProtocolVariable] = GrpcProtocol;
        context.EnvironmentVariables.Remove(OtlpHeadersVariable);
        if (context.ExecutionContext.IsPublishMode)
        {
            context.EnvironmentVariables.Remove(SdkRetryVariable);
        }
    }

    private static IResourceBuilder<AdotCollectorResource> WithGeneratedConfig(
        this IResourceBuilder<AdotCollectorResource> builder)
    {
        var configuration = builder.ApplicationBuilder.Configuration;
        return builder
            // Aspire's own resolution of the dashboard's OTLP endpoint as a container sees it.
            .WithOtlpExporter(OtlpProtocol.Grpc)
            .WithArgs($"--config=env:{ConfigVariable}")
            .WithEnvironment(context =>
            {
                var config = new CollectorConfig();
                if (context.EnvironmentVariables.ContainsKey(OtlpEndpointVariable))
                {
                    var apiKey = configuration[DashboardOtlpApiKeySetting];
                    if (!string.IsNullOrEmpty(apiKey))
                    {
                        context.EnvironmentVariables[DashboardApiKeyVariable] = apiKey;
                    }

                    config.WithDashboardExporter(
                        EnvReference(OtlpEndpointVariable),
                        string.IsNullOrEmpty(apiKey) ? null : EnvReference(DashboardApiKeyVariable),
                        insecure: !IsHttps(configuration[DashboardOtlpUrlSetting]));
                }

                if (builder.Resource.TryGetLastAnnotation<AwsConfigAnnotation>(out var aws) && aws.Config.Region is { } region)
                {
                    config.WithAws(region, aws.Config.Telemetry);
                }

                context.EnvironmentVariables[ConfigVariable] = config.ToYaml();
            });
    }

    private static string EnvReference(string variable) => $"${{env:{variable}}}";

    private static bool IsHttps(string? url) =>
        url is not null && url.StartsWith($"{Uri.UriSchemeHttps}:", StringComparison.OrdinalIgnoreCase);
}
