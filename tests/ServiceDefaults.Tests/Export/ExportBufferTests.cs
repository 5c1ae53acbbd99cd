using System.Net;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

/// <summary>
/// The export buffer driven by a fake clock and a scripted receiver: every wait is on an attempt
/// or a timer the buffer sets, and time moves only when the test moves it.
/// </summary>
public sealed class ExportBufferTests : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoffCeiling = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RealTimeBound = TimeSpan.FromSeconds(30);

    private readonly ObservedTime _time = new();
    private readonly StringWriter _stderr = new();
    private ExportBuffer? _buffer;

    [Fact]
    public async Task A_request_refused_during_an_outage_is_delivered_once_the_receiver_returns()
    {
        var receiver = new ScriptedReceiver((_, attempt) => attempt < 3 ? null : ScriptedReceiver.Ok());
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "a", items: 4));
        Assert.Equal(("a", 1), await receiver.NextAttemptAsync());
        await AdvanceToRetryAsync(FirstBackoffCeiling);
        Assert.Equal(("a", 2), await receiver.NextAttemptAsync());
        await AdvanceToRetryAsync(FirstBackoffCeiling * 2);
        Assert.Equal(("a", 3), await receiver.NextAttemptAsync());

        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
        Assert.Equal(["a"], receiver.Delivered);
        Assert.Equal(0, buffer.HeldItems(OtlpSignal.Traces));
        Assert.Equal(2, buffer.RetryableFailures);
        Assert.Contains("is failing (ConnectionError", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("is delivering again", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_a_receiver_always_refuses_expire_at_their_maximum_age_and_the_rest_is_delivered()
    {
        var receiver = new ScriptedReceiver((marker, _) => marker.StartsWith("poison", StringComparison.Ordinal) ? ScriptedReceiver.Status(HttpStatusCode.ServiceUnavailable) : ScriptedReceiver.Ok());
        var buffer = Start(receiver, maxAge: TimeSpan.FromSeconds(20));

        // Two senders, both taken by a request that is refused every time: retried after 1, 2, 4, 5
        // and 5 s (the ceilings), then at 17 s the next wait would pass the 20 s age, so both expire.
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "poison-1"));
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "poison-2"));
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "good", items: 3));
        foreach (var (wait, timersSoFar) in new[] { (1, 2), (2, 2), (4, 2), (5, 2), (5, 4) })
        {
            await _time.TimerSetAsync(TimeSpan.FromSeconds(wait), timersSoFar);
            _time.Advance(TimeSpan.FromSeconds(wait));
        }

        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
        Assert.Equal(["good"], receiver.Delivered);
        Assert.Equal(2, buffer.DroppedItems(OtlpSignal.Traces));
        Assert.Equal((6, 6), (receiver.AttemptsOf("poison-1"), receiver.AttemptsOf("poison-2")));
    }

    [Fact]
    public async Task A_refusal_that_will_not_heal_is_dropped_at_once_and_reported_once_with_the_receivers_reason()
    {
        var receiver = new ScriptedReceiver((_, _) =>
        {
            var response = ScriptedReceiver.Status(HttpStatusCode.Forbidden);
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "InvalidSignatureException:http://internal.amazon.com/coral/");
            return response;
        });
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Logs, "a", items: 2));
        buffer.Add(Payloads.Of(OtlpSignal.Logs, "b", items: 3));

        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Logs));
        Assert.Equal(5, buffer.DroppedItems(OtlpSignal.Logs));
        Assert.Equal(1, receiver.AttemptsOf("a"));
        var report = _stderr.ToString();
        Assert.Contains("failed for good (403: InvalidSignatureException)", report, StringComparison.Ordinal);
        Assert.Equal(report.IndexOf("failed for good", StringComparison.Ordinal), report.LastIndexOf("failed for good", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unexpected_failure_drops_its_request_and_the_sender_goes_on()
    {
        var receiver = new ScriptedReceiver((marker, _) => marker == "bug" ? throw new InvalidOperationException("a bug on the way") : ScriptedReceiver.Ok());
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "bug", items: 2));
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "next"));
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "and-next"));

        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
        Assert.Equal(["and-next", "next"], receiver.Delivered.Order());
        Assert.Equal(2, buffer.DroppedItems(OtlpSignal.Traces));
        Assert.Contains("failed for good (InvalidOperationException: a bug on the way)", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_header_sets_the_wait_before_the_next_attempt()
    {
        var receiver = new ScriptedReceiver((_, attempt) =>
        {
            if (attempt > 1)
            {
                return ScriptedReceiver.Ok();
            }

            var response = ScriptedReceiver.Status(HttpStatusCode.TooManyRequests);
            response.Headers.TryAddWithoutValidation("Retry-After", "30");
            return response;
        });
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "a"));
        await receiver.NextAttemptAsync();
        await _time.TimerSetAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, receiver.AttemptsOf("a"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(("a", 2), await receiver.NextAttemptAsync());
        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
    }

    [Fact]
    public async Task A_grpc_retry_info_sets_the_wait_and_resource_exhausted_without_it_is_dropped()
    {
        var receiver = new ScriptedReceiver((marker, attempt) => attempt > 1 ? GrpcStatus(0) : marker switch
        {
            "with-retry-info" => GrpcStatus(8, ServerDelayTests.StatusDetails(new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(7)) })),
            _ => GrpcStatus(8),
        });
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "with-retry-info", grpc: true));
        await receiver.NextAttemptAsync();
        await AdvanceToRetryAsync(TimeSpan.FromSeconds(7));
        Assert.Equal(("with-retry-info", 2), await receiver.NextAttemptAsync());
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "without", items: 2, grpc: true));

        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
        Assert.Equal(1, receiver.AttemptsOf("without"));
        Assert.Equal(2, buffer.DroppedItems(OtlpSignal.Traces));
        Assert.Contains("failed for good (grpc_status_8", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_signal_past_its_budget_evicts_its_own_oldest_requests_never_another_signals()
    {
        var receiver = new ScriptedReceiver((_, _) => null); // the collector is down
        var buffer = Start(receiver, tracesMaxBytes: 8 * 1024);

        buffer.Add(Payloads.Of(OtlpSignal.Logs, "log", padding: 1000));
        for (var i = 0; i < 20; i++)
        {
            buffer.Add(Payloads.Of(OtlpSignal.Traces, $"span-{i}", padding: 1000));
        }

        Assert.InRange(buffer.HeldBytesOf(OtlpSignal.Traces), 1, 8 * 1024);
        Assert.True(buffer.DroppedItems(OtlpSignal.Traces) > 0);
        Assert.Equal(0, buffer.DroppedItems(OtlpSignal.Logs));
        Assert.Equal(1, buffer.HeldItems(OtlpSignal.Logs));
    }

    /// <summary>The copy (AWS, say) is away: its requests are retried and past its budget evicted, in its own lane.</summary>
    [Fact]
    public async Task A_copy_destination_that_is_away_neither_holds_up_nor_evicts_what_goes_to_the_primary_one()
    {
        var receiver = new ScriptedReceiver((marker, _) => marker.StartsWith("copy", StringComparison.Ordinal) ? null : ScriptedReceiver.Ok());
        var buffer = Start(receiver, tracesMaxBytes: 8 * 1024, copied: new HashSet<OtlpSignal> { OtlpSignal.Traces });

        for (var i = 0; i < 20; i++)
        {
            buffer.Add(Payloads.Of(OtlpSignal.Traces, $"copy-{i}", padding: 1000, destination: ExportDestination.Copy));
        }

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "primary-1"));
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "primary-2"));
        while (receiver.Delivered.Count < 2)
        {
            await receiver.NextAttemptAsync();
        }

        Assert.Equal(["primary-1", "primary-2"], receiver.Delivered.Order());
        Assert.InRange(buffer.HeldBytesOf(OtlpSignal.Traces, ExportDestination.Copy), 1, 8 * 1024);
        Assert.True(buffer.DroppedItems(OtlpSignal.Traces) > 0, "copies past the copy lane's budget are dropped");
        // A flush waits for every destination of the signal: the copy is still held.
        Assert.False(buffer.WaitForDelivery(OtlpSignal.Traces, TimeSpan.Zero, shuttingDown: false));
    }

    [Fact]
    public async Task With_cumulative_metrics_only_the_newest_waiting_request_is_held()
    {
        var receiver = new ScriptedReceiver((_, attempt) => null);
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Metrics, "m1", items: 10));
        await receiver.NextAttemptAsync(); // m1 is in flight now, and keeps a sender
        buffer.Add(Payloads.Of(OtlpSignal.Metrics, "m2", items: 10));
        await receiver.NextAttemptAsync(); // and m2 the other
        buffer.Add(Payloads.Of(OtlpSignal.Metrics, "m3", items: 10));
        buffer.Add(Payloads.Of(OtlpSignal.Metrics, "m4", items: 10));

        Assert.Equal(10, buffer.DroppedItems(OtlpSignal.Metrics)); // m3, superseded by m4
        Assert.Equal(30, buffer.HeldItems(OtlpSignal.Metrics));
    }

    [Fact]
    public async Task A_flush_reports_false_while_requests_are_held_and_true_once_they_are_delivered()
    {
        var up = false;
        var receiver = new ScriptedReceiver((_, _) => Volatile.Read(ref up) ? ScriptedReceiver.Ok() : null);
        var buffer = Start(receiver);

        buffer.Add(Payloads.Of(OtlpSignal.Traces, "a"));
        await receiver.NextAttemptAsync();
        var held = Task.Run(() => buffer.WaitForDelivery(OtlpSignal.Traces, TimeSpan.FromSeconds(2.5), shuttingDown: false));
        await _time.TimerSetAsync(TimeSpan.FromSeconds(2.5));
        await AdvanceToRetryAsync(FirstBackoffCeiling); // 1 s: the second attempt, refused
        await receiver.NextAttemptAsync();
        await _time.TimerSetAsync(FirstBackoffCeiling * 2); // the third is due at 3 s
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(await held.WaitAsync(RealTimeBound));

        Volatile.Write(ref up, true);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(await WaitForDeliveryAsync(buffer, OtlpSignal.Traces));
        Assert.Equal(["a"], receiver.Delivered);
    }

    [Fact]
    public async Task At_shutdown_what_is_still_held_is_dropped_counted_and_summed_up_on_stderr()
    {
        var receiver = new ScriptedReceiver((_, _) => null);
        var buffer = Start(receiver);
        buffer.Add(Payloads.Of(OtlpSignal.Traces, "a", items: 4));
        buffer.Add(Payloads.Of(OtlpSignal.Logs, "b", items: 3));
        await receiver.NextAttemptAsync();
        await receiver.NextAttemptAsync();

        await StopAsync(buffer);

        Assert.Equal((4, 3), (buffer.DroppedItems(OtlpSignal.Traces), buffer.DroppedItems(OtlpSignal.Logs)));
        Assert.Contains("Telemetry dropped since startup: 4 spans, 3 log records, 0 metric data points", _stderr.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffer is not null)
        {
            await StopAsync(_buffer);
        }

        _time.Dispose();
    }

    private ExportBuffer Start(ScriptedReceiver receiver, TimeSpan? maxAge = null, long tracesMaxBytes = 1 << 20, IReadOnlySet<OtlpSignal>? copied = null)
    {
        var settings = new ExportBufferSettings(true, tracesMaxBytes, 1 << 20, 1 << 20, maxAge ?? TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), CumulativeMetrics: true);
        // The highest jitter: each wait is its backoff's ceiling, so the test knows the timer to wait for.
        return _buffer = new ExportBuffer(settings, receiver, _time, _stderr, jitter: () => 1.0, copied: copied);
    }

    /// <summary>Waits for the retry timer the buffer sets, then lets it fire.</summary>
    private async Task AdvanceToRetryAsync(TimeSpan wait)
    {
        await _time.TimerSetAsync(wait);
        _time.Advance(wait);
    }

    /// <summary>A gRPC answer: HTTP 200 with the status (and its details) in the trailers.</summary>
    private static HttpResponseMessage GrpcStatus(int status, string? details = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[5]) };
        response.TrailingHeaders.TryAddWithoutValidation("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (details is not null)
        {
            response.TrailingHeaders.TryAddWithoutValidation(ServerDelay.GrpcStatusDetailsHeader, details);
        }

        return response;
    }

    /// <summary>Disposes the buffer, letting its shutdown wait run out when it still holds something.</summary>
    private async Task StopAsync(ExportBuffer buffer)
    {
        var holding = Enum.GetValues<OtlpSignal>().Any(signal => buffer.HeldItems(signal) > 0);
        var disposed = buffer.DisposeAsync().AsTask();
        if (holding)
        {
            await _time.TimerSetAsync(ExportBuffer.FlushTimeout);
            _time.Advance(ExportBuffer.FlushTimeout);
        }

        await disposed.WaitAsync(RealTimeBound);
        _buffer = null;
    }

    /// <summary>Delivery happens on the senders' threads: wait for it in real time, with a fake-time timeout that never fires on its own.</summary>
    private static Task<bool> WaitForDeliveryAsync(ExportBuffer buffer, OtlpSignal signal) =>
        Task.Run(() => buffer.WaitForDelivery(signal, Timeout.InfiniteTimeSpan, shuttingDown: false)).WaitAsync(RealTimeBound);
}
