using Microsoft.Extensions.Configuration;

namespace AppHost.Tests.Collector;

public class AwsTelemetrySettingsTests
{
    private static AwsTelemetrySettings Read(params (string Key, string Value)[] settings) =>
        AwsTelemetrySettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build(),
            "AWS",
            key => $"(dotnet user-secrets set {key} VALUE --project AppHost)");

    [Fact]
    public void Unset_settings_take_the_defaults()
    {
        Assert.Equal(
            new AwsTelemetrySettings(TraceExport.Otlp, MetricsExport.Otlp, "/aspire-xray/logs", "otlp", "AspireXRay", "/aspire-xray/metrics", "emf"),
            Read());
    }

    [Fact]
    public void Every_setting_is_read_from_the_section()
    {
        var settings = Read(
            ("AWS:TraceExport", "XRay"), ("AWS:MetricsExport", "emf"), ("AWS:LogGroup", "/shop/api"), ("AWS:LogStream", "pods"),
            ("AWS:MetricsNamespace", "Shop/Api"), ("AWS:MetricsLogGroup", "/shop/metrics"), ("AWS:MetricsLogStream", "emf-1"));

        Assert.Equal(new AwsTelemetrySettings(TraceExport.XRay, MetricsExport.Emf, "/shop/api", "pods", "Shop/Api", "/shop/metrics", "emf-1"), settings);
    }

    [Theory]
    [InlineData("AWS:TraceExport", "jaeger",
        "AWS:TraceExport is 'jaeger', which is not a trace route. Set it to otlp (X-Ray's OTLP endpoint, needs Transaction Search) or xray (the awsxray exporter, for accounts without it) (dotnet user-secrets set AWS:TraceExport VALUE --project AppHost), or remove it for otlp.")]
    [InlineData("AWS:TraceExport", "1",
        "AWS:TraceExport is '1', which is not a trace route. Set it to otlp (X-Ray's OTLP endpoint, needs Transaction Search) or xray (the awsxray exporter, for accounts without it) (dotnet user-secrets set AWS:TraceExport VALUE --project AppHost), or remove it for otlp.")]
    [InlineData("AWS:MetricsExport", "prometheus",
        "AWS:MetricsExport is 'prometheus', which is not a metrics route. Set it to otlp (CloudWatch's OTLP metrics endpoint) or emf (the awsemf exporter, two metrics in a log group) (dotnet user-secrets set AWS:MetricsExport VALUE --project AppHost), or remove it for otlp.")]
    [InlineData("AWS:LogGroup", "my logs",
        "AWS:LogGroup is 'my logs', which is not valid. Set it to a CloudWatch log group name: 1 to 512 letters, digits or any of ._-/# (dotnet user-secrets set AWS:LogGroup VALUE --project AppHost), or remove it for the default.")]
    [InlineData("AWS:LogStream", "a:b",
        "AWS:LogStream is 'a:b', which is not valid. Set it to a CloudWatch log stream name: 1 to 512 letters, digits or any of ._-/# (dotnet user-secrets set AWS:LogStream VALUE --project AppHost), or remove it for the default.")]
    [InlineData("AWS:LogStream", "it's",
        "AWS:LogStream is 'it's', which is not valid. Set it to a CloudWatch log stream name: 1 to 512 letters, digits or any of ._-/# (dotnet user-secrets set AWS:LogStream VALUE --project AppHost), or remove it for the default.")]
    [InlineData("AWS:MetricsNamespace", "AWS/EC2",
        "AWS:MetricsNamespace is 'AWS/EC2', which is not valid. Set it to a CloudWatch namespace: 1 to 255 letters, digits or any of .-_/#: and spaces, not starting with 'AWS/' (dotnet user-secrets set AWS:MetricsNamespace VALUE --project AppHost), or remove it for the default.")]
    public void A_bad_value_stops_with_one_line_naming_the_setting_and_the_fix(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((key, value)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_bad_local_setting_stops_the_apphost_before_anything_runs()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.CreateAsync("--AWS:TraceExport=zipkin"));

        Assert.StartsWith("AWS:TraceExport is 'zipkin'", error.Message, StringComparison.Ordinal);
    }
}
