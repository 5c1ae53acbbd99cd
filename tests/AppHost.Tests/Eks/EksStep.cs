using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport;

namespace AppHost.Tests.Eks;

/// <summary>
/// Runs the AppHost's <c>eks-manifests</c> pipeline step in process, as the documented command does.
/// Tests that use it share <see cref="CollectionName"/>: the step reports failure through the
/// process exit code, which only one run at a time may own.
/// </summary>
internal static class EksStep
{
    public const string CollectionName = "EKS step";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Writes the bundle into <paramref name="output"/>; <paramref name="arguments"/> are extra, e.g. <c>--Eks:Region=…</c>.</summary>
    /// <returns>The exit code the command would end with, its error log lines and its other log lines.</returns>
    public static async Task<(int ExitCode, string[] Errors, string[] Messages)> RunAsync(string output, params string[] arguments)
    {
        var logs = new CapturingLoggerProvider();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. IsolatedAppHost.Arguments, "--operation", "publish", "--step", EksManifestsExtensions.StepName, "--output-path", output, .. arguments]);
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        try
        {
            await using var app = await builder.BuildAsync();
            await app.RunAsync().WaitAsync(Timeout);
            var errors = logs.Entries.Where(entry => entry.Level >= LogLevel.Error).Select(entry => entry.Message).ToArray();
            var messages = logs.Entries.Where(entry => entry.Level < LogLevel.Error).Select(entry => entry.Message).ToArray();
            return (Environment.ExitCode, errors, messages);
        }
        finally
        {
            // The test host's own exit code must not inherit a failure the test provoked.
            Environment.ExitCode = 0;
        }
    }
}

[CollectionDefinition(EksStep.CollectionName, DisableParallelization = true)]
public sealed class EksStepRuns;
