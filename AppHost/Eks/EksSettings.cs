using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AppHost.Eks;

/// <summary>
/// What the EKS bundle needs to know about the user's AWS account and cluster: section <c>Eks</c>
/// of the AppHost's configuration (appsettings.json, or <c>--Eks:Region=…</c> on the command).
/// Every value is checked here, before anything is written.
/// </summary>
internal sealed partial record EksSettings(
    string AccountId,
    string Region,
    string ClusterName,
    string Namespace,
    string ImageRegistry,
    string ImageTag,
    string CollectorRoleName)
{
    public const string Section = "Eks";

    /// <summary>The IAM partition of the region: <c>aws</c>, <c>aws-cn</c> or <c>aws-us-gov</c>.</summary>
    public string Partition => AwsRegion.Partition(Region);

    /// <summary>Where the collector puts traces, logs and metrics: <c>Eks:TraceExport</c>, <c>Eks:LogGroup</c>, … (defaults when unset).</summary>
    public AwsTelemetrySettings Telemetry { get; init; } = AwsTelemetrySettings.Default;

    /// <summary>The account, region and telemetry settings the collector's ARNs and scripts name.</summary>
    public AwsScope Scope => new(AccountId, Region, Telemetry);

    /// <summary>The default of <c>Eks:DirectRoleName</c>.</summary>
    public const string DefaultDirectRoleName = "aspire-xray-sampleapi";

    /// <summary>The IAM role the projects' service account gets on the direct route (<c>Eks:DirectRoleName</c>).</summary>
    public string DirectRoleName { get; init; } = DefaultDirectRoleName;

    /// <summary>Which build the projects' images hold (<c>Eks:ImageBuild</c>), and so their pods' memory.</summary>
    public ImageBuild ImageBuild { get; init; } = ImageBuild.NativeAot;

    /// <summary>The ARN of the direct route's IAM role, known in advance because its name is fixed.</summary>
    public string DirectRoleArn => $"arn:{Partition}:iam::{AccountId}:role/{DirectRoleName}";

    /// <summary>The ARN of the collector's IAM role, known in advance because its name is fixed.</summary>
    public string CollectorRoleArn => $"arn:{Partition}:iam::{AccountId}:role/{CollectorRoleName}";

    /// <summary>Reads and checks every setting; the first bad or missing one stops with a message naming it.</summary>
    /// <exception cref="EksBundleException">A setting is missing or malformed.</exception>
    public static EksSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return new EksSettings(
            Require(section, nameof(AccountId), AccountIdPattern().IsMatch, "a 12-digit AWS account id such as 123456789012"),
            Require(section, nameof(Region), AwsRegion.IsValid, "an AWS region name such as us-west-2"),
            Require(section, nameof(ClusterName), ClusterNamePattern().IsMatch, "an EKS cluster name: 1 to 100 letters, digits, '-' or '_', starting with a letter or digit"),
            Require(section, nameof(Namespace), Dns1123LabelPattern().IsMatch, "a Kubernetes namespace (DNS-1123 label): 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit"),
            Require(section, nameof(ImageRegistry), RegistryPattern().IsMatch, "a lower-case image registry host with optional port and path, such as 123456789012.dkr.ecr.us-west-2.amazonaws.com"),
            Require(section, nameof(ImageTag), ImageTagPattern().IsMatch, "an image tag: 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
            Require(section, nameof(CollectorRoleName), RoleNamePattern().IsMatch, RoleNameRule))
        {
            Telemetry = ReadTelemetry(configuration),
            DirectRoleName = Optional(section, nameof(DirectRoleName), RoleNamePattern().IsMatch, RoleNameRule) ?? DefaultDirectRoleName,
            ImageBuild = Optional(section, nameof(ImageBuild), value => SettingNames.Match<ImageBuild>(value) is not null,
                "NativeAot (the guide's image) or Jit (published with -p:PublishAot=false)") is { } build ? SettingNames.Match<ImageBuild>(build)!.Value : ImageBuild.NativeAot,
        };
    }

    private static AwsTelemetrySettings ReadTelemetry(IConfiguration configuration)
    {
        try
        {
            return AwsTelemetrySettings.Read(configuration, Section, key => $"in AppHost/appsettings.json (or pass --{key}=VALUE)");
        }
        catch (InvalidOperationException e)
        {
            throw new EksBundleException(e.Message);
        }
    }

    private const string RoleNameRule = "an IAM role name: 1 to 64 letters, digits or any of +=,.@_-";

    /// <summary>An optional setting: null when unset, else checked as <see cref="Require"/> does.</summary>
    private static string? Optional(IConfigurationSection section, string name, Func<string, bool> isValid, string expected) =>
        string.IsNullOrWhiteSpace(section[name]) ? null : Require(section, name, isValid, expected);

    private static string Require(IConfigurationSection section, string name, Func<string, bool> isValid, string expected)
    {
        var key = $"{Section}:{name}";
        var value = section[name]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new EksBundleException(
                $"{key} is missing. Set it to {expected} in AppHost/appsettings.json, or pass --{key}=VALUE.");
        }

        if (!isValid(value))
        {
            throw new EksBundleException(
                $"{key} is '{value}', which is not valid. Set it to {expected} in AppHost/appsettings.json, or pass --{key}=VALUE.");
        }

        return value;
    }

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123LabelPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageTagPattern();

    [GeneratedRegex(@"^[A-Za-z0-9+=,.@_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();
}
