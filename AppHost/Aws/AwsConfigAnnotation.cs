namespace Aspire.Hosting;

/// <summary>Marks a resource that received AWS settings, so integrations can use them.</summary>
internal sealed class AwsConfigAnnotation(AwsConfig config) : IResourceAnnotation
{
    public AwsConfig Config { get; } = config;
}
