using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>Whether the AppHost runs the ADOT collector (setting <c>Collector:Mode</c>).</summary>
public enum CollectorMode
{
    /// <summary>Run the collector when a healthy Docker or Podman is found (the default).</summary>
    Auto,

    /// <summary>Always run the collector.</summary>
    Container,

    /// <summary>Never run the collector: projects export straight to the dashboard.</summary>
    Off,
}

/// <summary>Reads <see cref="CollectorMode"/> from configuration.</summary>
internal static class CollectorModeSetting
{
    public const string Key = "Collector:Mode";

    /// <summary>The configured mode; <see cref="CollectorMode.Auto"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The setting holds anything else.</exception>
    public static CollectorMode Read(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return CollectorMode.Auto;
        }

        return SettingNames.Match<CollectorMode>(value) ?? throw new InvalidOperationException(
            $"{Key} is '{value}', which is not a collector mode. Set it to auto (run the collector " +
            "when Docker or Podman is running), container (always) or off (never), or remove it for auto.");
    }
}
