namespace Aspire.Hosting;

/// <summary>The ADOT collector container image.</summary>
internal static class AdotCollectorImage
{
    public const string Registry = "public.ecr.aws";
    public const string Image = "aws-observability/aws-otel-collector";

    /// <summary>Pinned, never latest; override with <c>WithImageTag</c>.</summary>
    public const string Tag = "v0.49.0";

    /// <summary>
    /// The image's user <c>aoc</c> (uid and gid 4317, set in cmd/awscollector/Dockerfile at v0.49.0);
    /// numeric so a pod's runAsNonRoot can be checked without the image.
    /// </summary>
    public const long User = 4317;
}
