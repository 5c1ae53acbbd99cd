using System.Collections.Concurrent;
using System.Diagnostics;

namespace BenchDriver;

/// <summary>
/// A bounded HTTP load generator that knows exactly which requests succeeded, for the scenarios
/// that compare spans received with spans created (wrk abandons requests in flight when it stops,
/// and has no fixed-rate mode). Every request carries a <c>traceparent</c> whose first trace-id
/// byte names the phase, so the sink can count each phase's spans apart.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private const int MaxInFlight = 2000;
    private readonly HttpClient _client;
    private readonly Uri _uri;

    public LoadGenerator(Uri uri, int connections)
    {
        _uri = uri;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// Sends at a fixed rate through consecutive phases. Latency counts from when a request was due,
    /// so a stalled server cannot hide its stall (no coordinated omission).
    /// <paramref name="onPhaseStart"/> starts as each phase begins and runs beside the schedule, which
    /// never waits for it (a sink taking 100 ms to reopen its ports would otherwise hold back every
    /// request due meanwhile and count that wait against the server); <paramref name="stop"/> ends the run early.
    /// </summary>
    public async Task<IReadOnlyList<PhaseResult>> FixedRateAsync(
        double requestsPerSecond, IReadOnlyList<(int Phase, TimeSpan Duration)> phases,
        Func<int, Task>? onPhaseStart = null, Func<bool>? stop = null)
    {
        var results = phases.Select(phase => new PhaseRecorder(phase.Phase)).ToList();
        var inFlight = new ConcurrentDictionary<Task, byte>();
        var clock = Stopwatch.StartNew();
        var phaseStart = TimeSpan.Zero;
        long sent = 0;
        var phaseActions = new List<Task>();
        for (var index = 0; index < phases.Count && stop?.Invoke() != true; index++)
        {
            if (onPhaseStart is not null)
            {
                phaseActions.Add(onPhaseStart(phases[index].Phase));
            }

            var phaseEnd = phaseStart + phases[index].Duration;
            while (clock.Elapsed < phaseEnd && stop?.Invoke() != true)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * requestsPerSecond);
                while (sent < due && inFlight.Count < MaxInFlight)
                {
                    var dueAt = TimeSpan.FromSeconds(sent / requestsPerSecond);
                    var task = SendAsync(results[index], clock, dueAt);
                    inFlight[task] = 0;
                    _ = task.ContinueWith(done => inFlight.TryRemove(done, out _), TaskScheduler.Default);
                    sent++;
                }

                await Task.Delay(1);
            }

            phaseStart = phaseEnd;
        }

        await Task.WhenAll(inFlight.Keys);
        await Task.WhenAll(phaseActions);
        return results.Select(result => result.ToResult()).ToList();
    }

    /// <summary><paramref name="concurrency"/> loops, each sending its next request as soon as the last completes.</summary>
    public async Task<PhaseResult> ClosedLoopAsync(int phase, int concurrency, TimeSpan duration)
    {
        var recorder = new PhaseRecorder(phase);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await SendAsync(recorder, clock, clock.Elapsed);
            }
        }));
        recorder.Elapsed = clock.Elapsed;
        return recorder.ToResult();
    }

    public void Dispose() => _client.Dispose();

    private async Task SendAsync(PhaseRecorder recorder, Stopwatch clock, TimeSpan dueAt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
        request.Headers.Add("traceparent", Phase.TraceParent(recorder.Phase));
        try
        {
            using var response = await _client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            recorder.Record(response.IsSuccessStatusCode, clock.Elapsed - dueAt);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            recorder.Record(false, clock.Elapsed - dueAt);
        }
    }

    private sealed class PhaseRecorder(int phase)
    {
        private readonly Lock _lock = new();
        private readonly List<double> _latenciesMs = [];
        private long _ok;
        private long _failed;

        public int Phase { get; } = phase;

        public TimeSpan? Elapsed { get; set; }

        public void Record(bool ok, TimeSpan latency)
        {
            lock (_lock)
            {
                _latenciesMs.Add(latency.TotalMilliseconds);
                if (ok)
                {
                    _ok++;
                }
                else
                {
                    _failed++;
                }
            }
        }

        public PhaseResult ToResult()
        {
            lock (_lock)
            {
                return new PhaseResult(Phase, _ok, _failed,
                    Stats.Percentile(_latenciesMs, 50), Stats.Percentile(_latenciesMs, 99),
                    Elapsed is { } elapsed ? _ok / elapsed.TotalSeconds : null);
            }
        }
    }
}

/// <summary>What one phase of a load run did.</summary>
internal sealed record PhaseResult(int Phase, long Ok, long Failed, double P50Ms, double P99Ms, double? RequestsPerSecond);

/// <summary>Phase markers in trace ids: the first byte of the trace id is the phase number.</summary>
internal static class Phase
{
    public static string Key(int phase) => phase.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);

    public static string TraceParent(int phase)
    {
        Span<byte> ids = stackalloc byte[24];
        Random.Shared.NextBytes(ids);
        ids[0] = (byte)phase;
        ids[16] |= 1; // a span id must not be all zeros
        return $"00-{Convert.ToHexStringLower(ids[..16])}-{Convert.ToHexStringLower(ids[16..])}-01";
    }
}
