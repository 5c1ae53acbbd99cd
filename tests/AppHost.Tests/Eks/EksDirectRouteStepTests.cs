using AppHost.Eks;

namespace AppHost.Tests.Eks;

/// <summary>
/// Settings given to the <c>eks-manifests</c> step on its command line reach the direct route's base, which a second
/// Aspire manifest publisher (a child process that does not see the step's arguments) writes.
/// </summary>
[Collection(EksStep.CollectionName)]
public sealed class EksDirectRouteStepTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eks-direct-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Region_log_group_and_stream_given_on_the_command_reach_sampleapis_direct_environment()
    {
        var target = Path.Combine(_folder, "manifests");

        var (exitCode, errors, _) = await EksStep.RunAsync(
            target, "--Eks:Region=eu-west-1", "--Eks:ImageRegistry=123456789012.dkr.ecr.eu-west-1.amazonaws.com", "--Eks:LogGroup=/team/api", "--Eks:LogStream=pods");

        Assert.True(exitCode == 0 && errors.Length == 0, string.Join('\n', errors));
        var kustomization = await File.ReadAllTextAsync(Path.Combine(target, EksBundle.DirectBaseFolder, Bundle.SampleApi, EksBundle.KustomizationFile));
        Assert.Contains("- OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://xray.eu-west-1.amazonaws.com/v1/traces\n", kustomization, StringComparison.Ordinal);
        Assert.Contains("- OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=https://monitoring.eu-west-1.amazonaws.com/v1/metrics\n", kustomization, StringComparison.Ordinal);
        Assert.Contains("- OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=https://logs.eu-west-1.amazonaws.com/v1/logs\n", kustomization, StringComparison.Ordinal);
        Assert.Contains("- OTEL_EXPORTER_OTLP_LOGS_HEADERS=x-aws-log-group=/team/api,x-aws-log-stream=pods\n", kustomization, StringComparison.Ordinal);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT=", kustomization, StringComparison.Ordinal);
        // The direct role's policy names the same log group, in the same region.
        var irsa = await File.ReadAllTextAsync(Path.Combine(target, EksBundle.AwsFolder, EksBundle.DirectIrsaFile));
        Assert.Contains("- arn:aws:logs:eu-west-1:123456789012:log-group:/team/api:*\n", irsa, StringComparison.Ordinal);
        // And setup-account.sh creates that group and stream.
        var setup = await File.ReadAllTextAsync(Path.Combine(target, EksBundle.AwsFolder, AwsAccountScripts.SetupFileName));
        Assert.Contains("ensure_stream '/team/api' 'pods'\n", setup, StringComparison.Ordinal);
    }
}
