namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One signal's share of the export buffer: its own byte budget, its own queue and senders, so
/// that one signal can neither evict nor hold up another. Requests are delivered at least once and
/// in no promised order (two senders, and a retried request goes out after newer ones). Past the
/// budget the oldest waiting request is dropped; for cumulative metrics only the newest waiting
/// request is kept, since it supersedes the ones before it.
/// </summary>
internal sealed class ExportLane : IDisposable
{
    /// <summary>Requests in flight at once: enough to keep up with OTLP's request-response latency, few enough to stay polite during an outage.</summary>
    private const int Senders = 2;

    /// <summary>Waiting requests beyond which new ones are held gzipped: the receiver is not keeping up, so memory is the scarcer resource.</summary>
    private const int BacklogToCompress = 4;

    private readonly OtlpSignal _signal;
    private readonly long _maxBytes;
    private readonly bool _newestOnly;
    private readonly ExportLaneContext _context;
    private readonly HeldBlocks _blocks;
    private readonly Lock _lock = new();
    private readonly LinkedList<Held> _pending = new();
    private readonly List<Held> _inFlight = [];
    private readonly List<(long Sequence, TaskCompletionSource<bool> Done)> _flushes = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly Task[] _senders;
    private long _heldBytes;
    private long _heldItems;
    private long _sequence;
    private long _retryableFailures;
    private int _pendingCount;
    private bool _closed;
    private volatile bool _failing;

    public ExportLane(OtlpSignal signal, long maxBytes, bool newestOnly, ExportLaneContext context)
    {
        _signal = signal;
        _maxBytes = maxBytes;
        _newestOnly = newestOnly;
        _context = context;
        _blocks = new HeldBlocks(maxBytes);
        // The senders carry no caller's context (no Activity.Current to parent a span on) and run with
        // instrumentation suppressed: a delivery must not become a span that is itself exported.
        using (ExecutionContext.SuppressFlow())
        {
            _senders = [.. Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync))];
        }
    }

    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public long HeldItems => Interlocked.Read(ref _heldItems);

    public long RetryableFailures => Interlocked.Read(ref _retryableFailures);

    /// <summary>Takes one export request; never blocks beyond a copy (and, during an outage, a gzip).</summary>
    public void Add(OtlpPayload payload)
    {
        if (_failing || Volatile.Read(ref _pendingCount) >= BacklogToCompress)
        {
            payload.Compress(_blocks);
        }

        List<(OtlpPayload Payload, string ErrorType)>? dropped = null;
        lock (_lock)
        {
            if (_closed || payload.Footprint > _maxBytes)
            {
                (dropped ??= []).Add((payload, _closed ? "shutdown" : "queue_full"));
            }
            else
            {
                if (_newestOnly)
                {
                    while (_pending.First?.Value is { } superseded)
                    {
                        Remove(superseded);
                        (dropped ??= []).Add((superseded.Payload, "superseded"));
                    }
                }

                while (_heldBytes + payload.Footprint > _maxBytes && _pending.First?.Value is { } oldest)
                {
                    Remove(oldest);
                    (dropped ??= []).Add((oldest.Payload, "queue_full"));
                }

                if (_heldBytes + payload.Footprint > _maxBytes)
                {
                    (dropped ??= []).Add((payload, "queue_full")); // everything held is in flight
                }
                else
                {
                    _pending.AddLast(new Held(payload, ++_sequence, _context.Time.GetTimestamp()));
                    _pendingCount = _pending.Count;
                    _heldBytes += payload.Footprint;
                    _heldItems += payload.Items;
                    _available.Release();
                }
            }

            CompleteFlushes();
        }

        dropped?.ForEach(drop => Dropped(drop.Payload, drop.ErrorType));
    }

    /// <summary>
    /// Completes true once every request taken before the call has been delivered or dropped, false
    /// if some is still held after <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitForDeliveryAsync(TimeSpan timeout)
    {
        TaskCompletionSource<bool> done;
        lock (_lock)
        {
            if (OldestOutstanding() > _sequence)
            {
                return true;
            }

            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((_sequence, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout, _context.Time);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Once the context's stopping token is cancelled: stops taking requests, waits for the senders, and drops what is still held as <c>shutdown</c>.</summary>
    public async Task CloseAsync()
    {
        lock (_lock)
        {
            _closed = true;
        }

        await Task.WhenAll(_senders);
        List<Held> left;
        lock (_lock)
        {
            left = [.. _pending];
            left.ForEach(Remove);
            CompleteFlushes();
        }

        left.ForEach(held => Dropped(held.Payload, "shutdown"));
    }

    /// <summary>After <see cref="CloseAsync"/>.</summary>
    public void Dispose() => _available.Dispose();

    private async Task SendLoopAsync()
    {
        using var suppressed = OpenTelemetry.SuppressInstrumentationScope.Begin();
        while (true)
        {
            try
            {
                await _available.WaitAsync(_context.Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Held? held;
            lock (_lock)
            {
                held = _pending.First?.Value;
                if (held is null)
                {
                    continue; // evicted or superseded while this sender waited
                }

                _pending.RemoveFirst();
                _pendingCount = _pending.Count;
                _inFlight.Add(held);
            }

            await DeliverAsync(held);
        }
    }

    /// <summary>Attempts one request until the policy says it is delivered or dropped, or the buffer stops.</summary>
    private async Task DeliverAsync(Held held)
    {
        for (var attempt = 1; ; attempt++)
        {
            AttemptOutcome outcome;
            try
            {
                outcome = await AttemptAsync(held.Payload);
            }
            catch (OperationCanceledException) when (_context.Stopping.IsCancellationRequested)
            {
                Finish(held, "shutdown");
                return;
            }

            var age = _context.Time.GetElapsedTime(held.AddedAt);
            var decision = DeliveryPolicy.Decide(outcome, attempt, age, _context.Limits, _context.NextJitter());
            if (decision.Action == DeliveryAction.Delivered)
            {
                if (_failing)
                {
                    _failing = false;
                    _context.Report.DeliveringAgain(held.Payload);
                }

                Finish(held, null);
                return;
            }

            if (decision.Action == DeliveryAction.Drop)
            {
                if (decision.ErrorType != DeliveryPolicy.Expired)
                {
                    _context.Report.Refused(held.Payload, decision.ErrorType!, Detail(outcome));
                }

                Finish(held, decision.ErrorType);
                return;
            }

            Interlocked.Increment(ref _retryableFailures);
            if (!_failing)
            {
                _failing = true;
                _context.Report.Failing(held.Payload, Reason(outcome), _maxBytes);
            }

            if (!held.Payload.Compressed)
            {
                var saved = held.Payload.Compress(_blocks);
                lock (_lock)
                {
                    _heldBytes -= saved;
                }
            }

            try
            {
                await Task.Delay(decision.Delay, _context.Time, _context.Stopping);
            }
            catch (OperationCanceledException)
            {
                Finish(held, "shutdown");
                return;
            }
        }
    }

    /// <summary>One delivery attempt, sent with a fresh request (and so, where one applies, a fresh signature).</summary>
    private async Task<AttemptOutcome> AttemptAsync(OtlpPayload payload)
    {
        using var request = payload.CreateRequest();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_context.Stopping);
        using var timeout = new CancellationTokenSource(_context.AttemptTimeout, _context.Time);
        using var timedOut = timeout.Token.Register(attempt.Cancel);
        try
        {
            using var response = await _context.Http.SendAsync(request, attempt.Token);
            var now = _context.Time.GetUtcNow();
            if (!payload.Grpc || !response.IsSuccessStatusCode)
            {
                return new AttemptOutcome((int)response.StatusCode, ServerDelay: ServerDelay.FromRetryAfter(response.Headers.RetryAfter, now),
                    Detail: AwsErrors.ErrorType(response));
            }

            await response.Content.ReadAsByteArrayAsync(attempt.Token); // trailers come after the body
            return new AttemptOutcome((int)response.StatusCode, GrpcStatus(response),
                ServerDelay.FromGrpcStatusDetails(Trailer(response, ServerDelay.GrpcStatusDetailsHeader)),
                Detail: Trailer(response, "grpc-message"));
        }
        catch (OperationCanceledException) when (!_context.Stopping.IsCancellationRequested)
        {
            return AttemptOutcome.TimedOut;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The policy decides: transport failures that can heal are retried; anything unexpected
            // is dropped and reported once, and never ends the sender that met it.
            return new AttemptOutcome(null, Error: error);
        }
    }

    private static int GrpcStatus(HttpResponseMessage response) =>
        int.TryParse(Trailer(response, "grpc-status"), System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? status
            : 2; // UNKNOWN: a gRPC answer without a status

    /// <summary>A gRPC trailer, or the same name among the headers (a trailers-only response).</summary>
    private static string? Trailer(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) || response.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    private static string Detail(AttemptOutcome outcome) => outcome.Detail ?? outcome.Error?.Message ?? "";

    private string Reason(AttemptOutcome outcome) => outcome switch
    {
        { Error: TimeoutException } => $"no answer within {_context.AttemptTimeout.TotalMilliseconds} ms",
        { Error: HttpRequestException error } => $"{error.HttpRequestError}: {error.Message}",
        { GrpcStatus: { } grpc and not 0 } => $"gRPC status {grpc}",
        { HttpStatus: { } http } => $"HTTP {http}",
        _ => "unknown",
    };

    private void Finish(Held held, string? errorType)
    {
        lock (_lock)
        {
            _inFlight.Remove(held);
            Release(held);
            if (_pending.Count == 0 && _inFlight.Count == 0)
            {
                _blocks.Clear(); // caught up: the outage's blocks are not kept
            }

            CompleteFlushes();
        }

        if (errorType is null)
        {
            _context.Report.Delivered(held.Payload);
        }
        else
        {
            Dropped(held.Payload, errorType);
        }
    }

    private void Dropped(OtlpPayload payload, string errorType)
    {
        payload.Release();
        _context.Report.Dropped(payload, errorType);
    }

    /// <summary>Takes a waiting request off the queue and its bytes and items off the totals (under the lock).</summary>
    private void Remove(Held held)
    {
        _pending.Remove(held);
        _pendingCount = _pending.Count;
        Release(held);
    }

    /// <summary>Takes a request's bytes and items off the totals and gives its memory back (under the lock).</summary>
    private void Release(Held held)
    {
        _heldBytes -= held.Payload.Footprint;
        _heldItems -= held.Payload.Items;
        held.Payload.Release();
    }

    /// <summary>The sequence number of the oldest request still held (under the lock).</summary>
    private long OldestOutstanding()
    {
        var oldest = _pending.First?.Value.Sequence ?? long.MaxValue;
        foreach (var held in _inFlight)
        {
            oldest = Math.Min(oldest, held.Sequence);
        }

        return oldest;
    }

    private void CompleteFlushes()
    {
        var oldest = OldestOutstanding();
        _flushes.RemoveAll(flush => oldest > flush.Sequence && flush.Done.TrySetResult(true));
    }

    /// <summary>A request in this lane: its place in arrival order and when it arrived.</summary>
    private sealed record Held(OtlpPayload Payload, long Sequence, long AddedAt);
}

/// <summary>What the lanes of one buffer share.</summary>
internal sealed record ExportLaneContext(
    HttpMessageInvoker Http, TimeProvider Time, DeliveryLimits Limits, TimeSpan AttemptTimeout,
    Func<double> NextJitter, ExportReport Report, CancellationToken Stopping);
