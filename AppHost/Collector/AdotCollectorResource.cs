namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The AWS Distro for OpenTelemetry (ADOT) collector: receives OTLP from the applications and
/// exports to the Aspire dashboard and, when AWS settings are present, to AWS X-Ray.
/// </summary>
/// <param name="name">The resource name.</param>
public sealed class AdotCollectorResource(string name) : ContainerResource(name)
{
    /// <summary>Name of the OTLP gRPC endpoint.</summary>
    public const string GrpcEndpointName = "grpc";

    /// <summary>Name of the OTLP HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>Name of the endpoint of the collector's health_check extension.</summary>
    public const string HealthEndpointName = "health";

    internal const int GrpcPort = 4317;
    internal const int HttpPort = 4318;
    internal const int HealthPort = 13133;

    private EndpointReference? _grpcEndpoint;
    private EndpointReference? _httpEndpoint;
    private EndpointReference? _healthEndpoint;

    /// <summary>Why the collector was left out of the run (see <c>Collector:Mode</c>), or null when it runs.</summary>
    internal string? NotStartedReason { get; set; }

    /// <summary>The OTLP gRPC endpoint (container port 4317).</summary>
    public EndpointReference GrpcEndpoint => _grpcEndpoint ??= new(this, GrpcEndpointName);

    /// <summary>The OTLP HTTP endpoint (container port 4318).</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary>The health_check extension endpoint (container port 13133).</summary>
    public EndpointReference HealthEndpoint => _healthEndpoint ??= new(this, HealthEndpointName);

    /// <summary>
    /// The OTLP gRPC endpoint as a full URL. Built from host and port rather than the endpoint's
    /// url so that manifest tools which render a non-http binding's url without a scheme still
    /// produce <c>http://collector:4317</c>.
    /// </summary>
    public ReferenceExpression GrpcUrl => ReferenceExpression.Create(
        $"http://{GrpcEndpoint.Property(EndpointProperty.Host)}:{GrpcEndpoint.Property(EndpointProperty.Port)}");
}
