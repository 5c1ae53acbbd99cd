using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Adds AWS settings to the app model and passes them to resources (a small stand-in for
/// Aspire.Hosting.AWS, which is not available here).
/// </summary>
public static class AwsConfigExtensions
{
    internal const string ProfileSetting = "AWS:Profile";
    internal const string RegionSetting = "AWS:Region";
    internal const string ProfileVariable = "AWS_PROFILE";
    internal const string RegionVariable = "AWS_REGION";
    // The same settings in .NET configuration form, for apps that bind an "AWS" section.
    internal const string ProfileSectionVariable = "AWS__Profile";
    internal const string RegionSectionVariable = "AWS__Region";
    internal const string ConfigFileVariable = "AWS_CONFIG_FILE";
    internal const string CredentialsFileVariable = "AWS_SHARED_CREDENTIALS_FILE";

    internal const string HomeVariable = "HOME";

    // A home folder inside a container holding only the user's ~/.aws: the SDKs look there for the
    // config, the credentials and the SSO token cache (~/.aws/sso/cache). The file variables point
    // there too, for SDKs that read them first.
    internal const string ContainerHome = "/aws-home";
    internal const string ContainerSharedFilesDirectory = ContainerHome + "/.aws";

    // Runs the container as the host user, so it can read ~/.aws files that are the user's alone (0600).
    internal const string UserArgument = "--user";

    // Rootless Podman maps container uids to subordinate ids unless told to keep the user's own.
    internal const string PodmanKeepUserArgument = "--userns=keep-id";
    internal const string Podman = "podman";

    /// <summary>
    /// Reads the AWS profile and region from configuration <c>AWS:Profile</c> and <c>AWS:Region</c>
    /// (user secrets, appsettings or <c>AWS__Region</c>), falling back to <c>AWS_PROFILE</c> and
    /// <c>AWS_REGION</c>. Both are optional.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <returns>The settings, to pass to resources with <see cref="WithReference{T}"/>.</returns>
    /// <exception cref="InvalidOperationException">The region is not an AWS region name.</exception>
    public static AwsConfig AddAwsConfig(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var configuration = builder.Configuration;
        var profile = Read(configuration, ProfileSetting, ProfileVariable, out _);
        var region = Read(configuration, RegionSetting, RegionVariable, out var regionSource);
        if (region is not null && !AwsRegion.IsValid(region))
        {
            throw new InvalidOperationException(
                $"{regionSource} is '{region}', which is not an AWS region name. Set {RegionSetting} to a " +
                $"region such as us-east-1 or eu-west-2 (dotnet user-secrets set {RegionSetting} us-east-1 " +
                "--project AppHost), or remove it to run without AWS.");
        }

        var telemetry = AwsTelemetrySettings.Read(configuration, "AWS", key => $"(dotnet user-secrets set {key} VALUE --project AppHost)");
        var sharedFiles = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws");
        return new AwsConfig(profile, region, sharedFiles, telemetry);
    }

    /// <summary>
    /// Passes the AWS settings to a resource as <c>AWS_REGION</c>/<c>AWS__Region</c> and, when running
    /// locally, <c>AWS_PROFILE</c>/<c>AWS__Profile</c>. A profile names a file on this machine, so it is
    /// never published. Running locally, a container also gets the user's ~/.aws read-only as
    /// <c>$HOME/.aws</c> (when the folder exists) and, on Linux, runs as the user's uid and gid so that
    /// the SDK in it reads static keys, profiles and the SSO token cache the way the user's own tools do.
    /// No credential is copied, passed in the environment or written anywhere. Nothing is added when no
    /// AWS setting was given.
    /// </summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="aws">The settings from <see cref="AddAwsConfig"/>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, AwsConfig aws)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(aws);

        if (!aws.IsConfigured)
        {
            return builder;
        }

        builder.WithAnnotation(new AwsConfigAnnotation(aws), ResourceAnnotationMutationBehavior.Replace);
        var isRunMode = builder.ApplicationBuilder.ExecutionContext.IsRunMode;
        if (isRunMode && builder.Resource is ContainerResource && Directory.Exists(aws.SharedFilesDirectory))
        {
            builder.WithAnnotation(new ContainerMountAnnotation(
                aws.SharedFilesDirectory, ContainerSharedFilesDirectory, ContainerMountType.BindMount, isReadOnly: true));
            builder.WithEnvironment(HomeVariable, ContainerHome);
            builder.WithEnvironment(ConfigFileVariable, $"{ContainerSharedFilesDirectory}/config");
            builder.WithEnvironment(CredentialsFileVariable, $"{ContainerSharedFilesDirectory}/credentials");
            if (HostUser.UidGid() is { } user)
            {
                var runtime = builder.ApplicationBuilder.Configuration[ContainerRuntimeProbe.RuntimeSetting]
                    ?? builder.ApplicationBuilder.Configuration[ContainerRuntimeProbe.LegacyRuntimeSetting];
                var isPodman = string.Equals(runtime?.Trim(), Podman, StringComparison.OrdinalIgnoreCase);
                builder.WithAnnotation(new ContainerRuntimeArgsCallbackAnnotation(args =>
                {
                    args.Add(UserArgument);
                    args.Add(user);
                    if (isPodman)
                    {
                        args.Add(PodmanKeepUserArgument);
                    }
                }));
            }
        }

        if (aws.Region is { } region)
        {
            builder.WithEnvironment(RegionVariable, region);
            builder.WithEnvironment(RegionSectionVariable, region);
        }

        if (isRunMode && aws.Profile is { } profile)
        {
            builder.WithEnvironment(ProfileVariable, profile);
            builder.WithEnvironment(ProfileSectionVariable, profile);
        }

        return builder;
    }

    private static string? Read(ConfigurationManager configuration, string setting, string variable, out string source)
    {
        source = setting;
        if (!string.IsNullOrWhiteSpace(configuration[setting]))
        {
            return configuration[setting]!.Trim();
        }

        source = variable;
        return string.IsNullOrWhiteSpace(configuration[variable]) ? null : configuration[variable]!.Trim();
    }
}
