using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>Reads telemetry back from the Aspire dashboard's HTTP API (OTLP JSON).</summary>
public sealed class DashboardTelemetryClient(Uri dashboard, string apiKey) : IDisposable
{
    private const string ApiKeyHeader = "X-API-Key";

    // Exporters batch (Aspire sets a 1 s schedule in development): allow for several rounds.
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { BaseAddress = dashboard, DefaultRequestHeaders = { { ApiKeyHeader, apiKey } } };

    public Uri BaseAddress => dashboard;

    /// <summary>Polls until the dashboard holds at least <paramref name="count"/> spans of the trace.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> WaitForSpansAsync(string traceId, int count)
    {
        var spans = await PollAsync(
            $"/api/telemetry/traces/{traceId}",
            document => DashboardSpan.Parse(document.RootElement.GetProperty("data")),
            found => found.Count >= count);
        return spans;
    }

    /// <summary>Every span the dashboard holds now.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> AllSpansAsync()
    {
        using var document = await JsonDocument.ParseAsync(await _http.GetStreamAsync("/api/telemetry/spans"));
        return DashboardSpan.Parse(document.RootElement.GetProperty("data"));
    }

    /// <summary>Polls until the dashboard holds at least <paramref name="count"/> log records of the trace.</summary>
    public async Task<IReadOnlyList<DashboardLog>> WaitForLogsAsync(string traceId, int count) =>
        await PollAsync(
            $"/api/telemetry/logs?traceId={traceId}",
            document => DashboardLog.Parse(document.RootElement.GetProperty("data")),
            found => found.Count >= count);

    /// <summary>Sends a request without the API key, to prove the API is guarded.</summary>
    public async Task<HttpStatusCode> GetAnonymouslyAsync(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = dashboard };
        using var response = await anonymous.GetAsync(path);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private async Task<IReadOnlyList<T>> PollAsync<T>(
        string path, Func<JsonDocument, IReadOnlyList<T>> parse, Func<IReadOnlyList<T>, bool> done)
    {
        var elapsed = Stopwatch.StartNew();
        IReadOnlyList<T> found = [];
        while (elapsed.Elapsed < WaitTimeout)
        {
            using var response = await _http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                found = parse(document);
                if (done(found))
                {
                    return found;
                }
            }

            await Task.Delay(250);
        }

        return found;
    }
}
