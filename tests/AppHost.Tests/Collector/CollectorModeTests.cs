using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport;

namespace AppHost.Tests.Collector;

public class CollectorModeTests
{
    private const string DashboardOtlpUrl = "http://localhost:19080";

    // A runtime CLI that cannot exist, so auto mode finds no engine on any machine.
    private const string NoRuntime = "--ASPIRE_CONTAINER_RUNTIME=no-such-container-cli";
    private const string DcpRuntime = "--DcpPublisher:ContainerRuntime=docker";

    private static CollectorMode Read(string? value) =>
        CollectorModeSetting.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Collector:Mode"] = value })
            .Build());

    [Theory]
    [InlineData(null, CollectorMode.Auto)]
    [InlineData("", CollectorMode.Auto)]
    [InlineData("auto", CollectorMode.Auto)]
    [InlineData("Container", CollectorMode.Container)]
    [InlineData(" OFF ", CollectorMode.Off)]
    public void Mode_defaults_to_auto_and_accepts_names_in_any_case(string? value, CollectorMode expected) =>
        Assert.Equal(expected, Read(value));

    [Theory]
    [InlineData("1")]
    [InlineData("docker")]
    [InlineData("true")]
    public void A_bad_mode_fails_with_one_message_naming_the_setting_and_its_values(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(value));

        Assert.Equal(
            $"Collector:Mode is '{value}', which is not a collector mode. Set it to auto (run the collector when " +
            "Docker or Podman is running), container (always) or off (never), or remove it for auto.",
            error.Message);
    }

    [Theory]
    [InlineData("--Collector:Mode=off", "ADOT collector off (Collector:Mode=off)")]
    [InlineData(NoRuntime, "ADOT collector not started: no running Docker or Podman found")]
    public async Task Without_the_collector_projects_export_straight_to_the_dashboard_and_one_line_says_why(
        string setting, string expectedStart)
    {
        var logs = new CapturingLoggerProvider();
        var builder = await AppModel.CreateAsync(setting, DcpRuntime, $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={DashboardOtlpUrl}");
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        await using var app = await AppModel.BuildAsync(builder);

        var environment = await app.Resources().Resource<ProjectResource>("sampleapi").EnvironmentAsync(app.ExecutionContext());

        Assert.DoesNotContain(app.Resources(), resource => resource is AdotCollectorResource);
        var endpoint = Assert.IsAssignableFrom<IValueProvider>(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal(DashboardOtlpUrl, (await endpoint.GetValueAsync())?.TrimEnd('/'));
        Assert.True(
            $"x-otlp-api-key={IsolatedAppHost.OtlpApiKey}" == Assert.IsType<string>(environment["OTEL_EXPORTER_OTLP_HEADERS"]),
            "Projects must send the dashboard's OTLP API key.");
        var line = Assert.Single(logs.Entries, entry => entry.Category == "AppHost.Collector");
        Assert.StartsWith(expectedStart, line.Message, StringComparison.Ordinal);
        Assert.Contains("Collector:Mode=", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line.Message);
    }

    [Fact]
    public async Task Publishing_always_includes_the_collector()
    {
        await using var app = await AppModel.BuildAsync([.. AppModel.Publish(), "--Collector:Mode=off"]);

        Assert.Single(app.Resources().OfType<AdotCollectorResource>());
    }

    [Fact]
    public async Task Container_mode_adds_the_collector_without_asking_for_a_runtime()
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container", NoRuntime);

        Assert.Single(builder.Resources.OfType<AdotCollectorResource>());
    }
}
