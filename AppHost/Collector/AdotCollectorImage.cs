namespace Aspire.Hosting;

/// <summary>The ADOT collector container image and the configuration files it ships.</summary>
internal static class AdotCollectorImage
{
    public const string Registry = "public.ecr.aws";
    public const string Image = "aws-observability/aws-otel-collector";

    /// <summary>Pinned, never latest; override with <c>WithImageTag</c>.</summary>
    public const string Tag = "v0.49.0";

    /// <summary>
    /// The OTLP → X-Ray configuration inside the image, used when publishing: manifest tools such as
    /// Aspirate drop bind mounts and mangle multi-line environment values, but pass a container
    /// argument intact. It receives OTLP on 4317/4318 and exports traces only to X-Ray, in the
    /// region of the pod's AWS_REGION (which EKS injects with IRSA). Unlike the image's
    /// ecs-default-config.yaml it has no CloudWatch EMF exporter, so the X-Ray permissions suffice.
    /// </summary>
    public const string BuiltInXRayConfigPath = "/etc/ecs/ecs-xray.yaml";
}
