using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace SampleApi;

/// <summary>
/// The port of the original Go service: step sample1 calls sample2, which calls sample3, each in
/// its own span. Each step starts from the current span, so the spans nest (the original started
/// every step from the request context and got siblings).
/// </summary>
internal sealed partial class SampleWorkflow(
    IOptionsMonitor<SampleOptions> options,
    TimeProvider timeProvider,
    ILogger<SampleWorkflow> logger)
{
    /// <summary>Named after the application so that ServiceDefaults registers it without configuration.</summary>
    public static readonly ActivitySource ActivitySource = new(typeof(SampleWorkflow).Assembly.GetName().Name!);

    public async Task<IReadOnlyList<StepResult>> RunAsync(double delayScale, CancellationToken cancellationToken)
    {
        var delays = options.CurrentValue.Delays.Select(delay => delay * delayScale).ToArray();
        var results = new StepResult[delays.Length];
        await RunStepAsync(0, delays, results, cancellationToken);
        return results;
    }

    private async Task RunStepAsync(int index, TimeSpan[] delays, StepResult[] results, CancellationToken cancellationToken)
    {
        var name = $"sample{index + 1}";
        var started = timeProvider.GetTimestamp();
        using (var activity = ActivitySource.StartActivity(name))
        {
            await Task.Delay(delays[index], timeProvider, cancellationToken);
            LogStepDone(name);

            if (index + 1 < delays.Length)
            {
                await RunStepAsync(index + 1, delays, results, cancellationToken);
            }

            results[index] = new StepResult(
                name,
                activity?.SpanId.ToHexString(),
                delays[index].TotalMilliseconds,
                timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Step} done.")]
    private partial void LogStepDone(string step);
}

/// <summary>One step of the sample workflow as the response reports it.</summary>
/// <param name="Name">Span name, e.g. <c>sample1</c>.</param>
/// <param name="SpanId">The step's span id; null when tracing is off.</param>
/// <param name="DelayMs">The step's own sleep.</param>
/// <param name="DurationMs">Wall time of the step including the steps it called.</param>
internal sealed record StepResult(string Name, string? SpanId, double DelayMs, double DurationMs);
