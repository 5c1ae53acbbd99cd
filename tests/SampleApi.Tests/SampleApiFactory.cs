using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace SampleApi.Tests;

/// <summary>
/// The real SampleApi in memory, with its spans and logs captured by OpenTelemetry's in-memory
/// exporter. Listeners are process-wide, so other hosts' spans can land here too: always filter
/// by trace id.
/// </summary>
public sealed class SampleApiFactory : WebApplicationFactory<Program>
{
    private static readonly TimeSpan SpanWaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Configuration the API starts with, on top of its appsettings.json.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    public string Environment { get; init; } = "Development";

    /// <summary>Services the test adds to the API's own (e.g. a test seam).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    /// <summary>Waits until <paramref name="count"/> spans of the trace have ended, then returns them.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForSpansAsync(string traceId, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var spans = Spans.Where(span => span.TraceId.ToHexString() == traceId).ToList();
            if (spans.Count >= count || deadline.Elapsed > SpanWaitTimeout)
            {
                return spans;
            }

            await Task.Delay(20);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            TestServices?.Invoke(services);
            services.ConfigureOpenTelemetryTracerProvider(tracing =>
                tracing.AddProcessor(new SimpleActivityExportProcessor(new CapturingExporter<Activity>(Spans.Enqueue))));
            services.ConfigureOpenTelemetryLoggerProvider(logging =>
                logging.AddProcessor(new SimpleLogRecordExportProcessor(new CapturingExporter<LogRecord>(
                    // Log records are pooled and reused after export: keep a copy of what tests read.
                    log => Logs.Enqueue(new CapturedLog(
                        log.CategoryName, log.FormattedMessage, log.TraceId, log.SpanId, log.LogLevel, ScopesOf(log)))))));
        });
    }

    private static Dictionary<string, object?> ScopesOf(LogRecord log)
    {
        var scopes = new Dictionary<string, object?>();
        log.ForEachScope(static (scope, into) =>
        {
            foreach (var (key, value) in scope)
            {
                into[key] = value;
            }
        }, scopes);
        return scopes;
    }

    /// <summary>Like the in-memory exporter, but safe to read while the server is still writing.</summary>
    private sealed class CapturingExporter<T>(Action<T> capture) : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch)
        {
            foreach (var item in batch)
            {
                capture(item);
            }

            return ExportResult.Success;
        }
    }
}

/// <summary>What a test needs of an exported log record.</summary>
public sealed record CapturedLog(
    string? Category,
    string? Message,
    ActivityTraceId TraceId,
    ActivitySpanId SpanId,
    LogLevel Level,
    IReadOnlyDictionary<string, object?> Scopes);
