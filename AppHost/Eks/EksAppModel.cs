namespace AppHost.Eks;

/// <summary>The collector as the EKS bundle needs it, read from its resource.</summary>
/// <param name="Name">Resource name: the Deployment, Service and ServiceAccount name.</param>
/// <param name="Image">Image with registry, without tag.</param>
/// <param name="Tag">The pinned tag.</param>
/// <param name="GrpcPort">Container port of the OTLP gRPC receiver.</param>
/// <param name="HttpPort">Container port of the OTLP HTTP receiver.</param>
/// <param name="HealthPort">Container port of the health_check extension.</param>
internal sealed record EksCollector(string Name, string Image, string Tag, int GrpcPort, int HttpPort, int HealthPort)
{
    /// <summary>The Service the OpenTelemetry operator creates for a collector CR of this name.</summary>
    public string OperatorServiceName => $"{Name}-collector";
}

/// <summary>What the EKS bundle reads from the app model: the collector and the projects.</summary>
/// <param name="Collector">The ADOT collector.</param>
/// <param name="Projects">Names of the project resources, which become Deployments.</param>
internal sealed record EksAppModel(EksCollector Collector, IReadOnlyList<string> Projects)
{
    /// <summary>Reads the collector (exactly one) and every project from <paramref name="model"/>.</summary>
    public static EksAppModel From(DistributedApplicationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);

        var collector = model.Resources.OfType<AdotCollectorResource>().Single();
        var image = collector.Annotations.OfType<ContainerImageAnnotation>().Last();
        int Port(string endpointName) =>
            collector.Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == endpointName).TargetPort
            ?? throw new InvalidOperationException($"The {collector.Name} endpoint {endpointName} has no port.");

        return new EksAppModel(
            new EksCollector(
                collector.Name,
                $"{image.Registry}/{image.Image}",
                image.Tag ?? throw new InvalidOperationException($"The {collector.Name} image has no tag."),
                Port(AdotCollectorResource.GrpcEndpointName),
                Port(AdotCollectorResource.HttpEndpointName),
                Port(AdotCollectorResource.HealthEndpointName)),
            model.Resources.OfType<ProjectResource>().Select(project => project.Name).Order(StringComparer.Ordinal).ToList());
    }
}
