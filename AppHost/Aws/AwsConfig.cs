namespace Aspire.Hosting;

/// <summary>
/// The AWS profile and region the AppHost passes to the resources that reference it. Holds names
/// only, never a credential: the AWS SDKs resolve credentials from the profile or the environment.
/// </summary>
public sealed class AwsConfig
{
    internal AwsConfig(string? profile, string? region, string sharedFilesDirectory, AwsTelemetrySettings? telemetry = null)
    {
        Profile = profile;
        Region = region;
        SharedFilesDirectory = sharedFilesDirectory;
        Telemetry = telemetry ?? AwsTelemetrySettings.Default;
    }

    /// <summary>The named profile from the shared AWS config files, or null.</summary>
    public string? Profile { get; }

    /// <summary>The validated region name (for example <c>us-east-1</c>), or null.</summary>
    public string? Region { get; }

    /// <summary>Where the collector puts traces, logs and metrics in AWS (settings <c>AWS:TraceExport</c>, <c>AWS:LogGroup</c>, …).</summary>
    internal AwsTelemetrySettings Telemetry { get; }

    /// <summary>The user's shared AWS config and credentials folder (~/.aws), which may not exist.</summary>
    internal string SharedFilesDirectory { get; }

    /// <summary>Whether any AWS setting was given.</summary>
    public bool IsConfigured => Profile is not null || Region is not null;
}
