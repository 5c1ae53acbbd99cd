using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one retry policy for telemetry. Holds every OTLP export request the SDK's exporters
/// serialize, in a buffer bounded in bytes, and delivers them to the collector from background
/// senders: a refused connection, a timeout, gRPC <c>Unavailable</c> (and the other codes OTLP
/// calls retryable) or HTTP 429/502/503/504 keeps the request and retries it with backoff, with
/// no deadline; other answers drop it. Past the bound the oldest waiting request is dropped.
/// Every item delivered or dropped is counted in <c>otel.sdk.exporter.{span,log,metric_data_point}.exported</c>
/// (with <c>error.type</c> when dropped) and drops are logged at most every
/// <see cref="WarningInterval"/>. On dispose (host shutdown, after the SDK's own flush) it keeps
/// sending for up to <see cref="FlushTimeout"/>; what is left then is lost with the process.
/// </summary>
internal sealed partial class ExportBuffer : IAsyncDisposable, IDisposable
{
    /// <summary>The meter of the exporter metrics; ServiceDefaults subscribes to it.</summary>
    public const string MeterName = "ServiceDefaults.OtlpExportBuffer";

    /// <summary>Longest the buffer keeps delivering once the host stops.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(ServiceDefaultsExtensions.ExportFlushSeconds);

    /// <summary>Drops are logged at most this often (each warning sums what was dropped since the last).</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    /// <summary>Requests in flight at once: enough to keep up with OTLP's request-response latency, few enough to stay polite during an outage.</summary>
    private const int Senders = 2;

    /// <summary>Waiting requests beyond which new ones are held gzipped: the collector is not keeping up, so memory is the scarcer resource.</summary>
    private const int BacklogToCompress = 4;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between attempts: what a collector back from a restart waits, at most, for its backlog to start.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private static int _instances = -1;

    private readonly ExportBufferSettings _settings;
    private readonly IServiceProvider _services;
    private readonly Lock _lock = new();
    private readonly LinkedList<OtlpPayload> _pending = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpMessageInvoker _http;
    private readonly HeldBlocks _blocks;
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long>[] _exported;
    private readonly long[] _heldItems = new long[3];
    private readonly long[] _droppedSinceWarning = new long[3];
    private readonly string _instance;
    private readonly Task[] _senders;
    private long _heldBytes;
    private long _retryableFailures;
    private int _inFlight;
    private int _pendingCount;
    private bool _closed;
    private volatile bool _failing;
    private volatile bool _grpc;
    private DateTime _lastWarning = DateTime.MinValue;
    private ILogger? _logger;

    /// <param name="settings">The bound and attempt timeout.</param>
    /// <param name="services">Where the logger comes from, late.</param>
    /// <param name="sender">What every attempt is sent through (<see cref="ExportSender"/>); the buffer disposes it.</param>
    public ExportBuffer(ExportBufferSettings settings, IServiceProvider services, HttpMessageHandler sender)
    {
        _settings = settings;
        _services = services;
        _instance = Interlocked.Increment(ref _instances).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _blocks = new HeldBlocks(settings.MaxBytes);
        _http = new HttpMessageInvoker(sender);
        _exported = [.. Enum.GetValues<OtlpSignal>().Select(signal => _meter.CreateCounter<long>(
            $"otel.sdk.exporter.{OtlpSignalNames.Item(signal)}.exported", OtlpSignalNames.Unit(signal),
            "Items whose export has finished: delivered, or dropped with error.type saying why."))];
        foreach (var signal in Enum.GetValues<OtlpSignal>())
        {
            _meter.CreateObservableUpDownCounter(
                $"otel.sdk.exporter.{OtlpSignalNames.Item(signal)}.inflight",
                () => new Measurement<long>(Interlocked.Read(ref _heldItems[(int)signal]), ComponentTags(signal, _grpc)),
                OtlpSignalNames.Unit(signal), "Items held by the export buffer, not yet delivered or dropped.");
        }

        _senders = [.. Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync))];
    }

    /// <summary>The meter of this buffer's exporter metrics.</summary>
    public Meter Meter => _meter;

    /// <summary>Bytes held now (waiting or in flight); never above the configured maximum.</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>Items of a signal held now.</summary>
    public long HeldItems(OtlpSignal signal) => Interlocked.Read(ref _heldItems[(int)signal]);

    /// <summary>Delivery attempts that failed with a retryable error since startup.</summary>
    public long RetryableFailures => Interlocked.Read(ref _retryableFailures);

    /// <summary>Takes one export request; never blocks beyond a copy (and, during an outage, a gzip).</summary>
    public void Add(OtlpPayload payload)
    {
        _grpc = payload.Grpc;
        if (_failing || Volatile.Read(ref _pendingCount) >= BacklogToCompress)
        {
            payload.Compress(_blocks);
        }

        List<OtlpPayload>? evicted = null;
        lock (_lock)
        {
            if (_closed || payload.Footprint > _settings.MaxBytes)
            {
                Drop(payload, _closed ? "shutdown" : "queue_full");
                return;
            }

            while (_heldBytes + payload.Footprint > _settings.MaxBytes && _pending.First?.Value is { } oldest)
            {
                _pending.RemoveFirst();
                _pendingCount = _pending.Count;
                Release(oldest);
                (evicted ??= []).Add(oldest);
            }

            if (_heldBytes + payload.Footprint > _settings.MaxBytes)
            {
                Drop(payload, "queue_full"); // everything held is in flight
                return;
            }

            _pending.AddLast(payload);
            _pendingCount = _pending.Count;
            _heldBytes += payload.Footprint;
            _heldItems[(int)payload.Signal] += payload.Items;
        }

        evicted?.ForEach(oldest => Drop(oldest, "queue_full"));
        _available.Release();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
            CheckDrained();
        }

        try
        {
            await _drained.Task.WaitAsync(FlushTimeout);
        }
        catch (TimeoutException)
        {
            // The collector is away: what is still held is dropped below, and counted.
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_senders);
        lock (_lock)
        {
            foreach (var payload in _pending)
            {
                Release(payload);
                Drop(payload, "shutdown");
            }

            _pending.Clear();
            _pendingCount = 0;
        }

        WarnAboutDrops(force: true);
        _http.Dispose();
        _meter.Dispose();
        _stopping.Dispose();
        _available.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SendLoopAsync()
    {
        while (true)
        {
            try
            {
                await _available.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            OtlpPayload? payload;
            lock (_lock)
            {
                payload = _pending.First?.Value;
                if (payload is null)
                {
                    continue; // evicted while this sender waited
                }

                _pending.RemoveFirst();
                _pendingCount = _pending.Count;
                _inFlight++;
            }

            await DeliverAsync(payload);
        }
    }

    /// <summary>Sends one payload until it is delivered, rejected, or the buffer stops.</summary>
    private async Task DeliverAsync(OtlpPayload payload)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            string? retryReason, rejection = null;
            try
            {
                (retryReason, rejection) = await AttemptAsync(payload);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                Finish(payload, "shutdown");
                return;
            }

            if (retryReason is null)
            {
                if (_failing)
                {
                    _failing = false;
                    if (Logger is { } logger && logger.IsEnabled(LogLevel.Information))
                    {
                        var endpoint = payload.Uri.GetLeftPart(UriPartial.Authority);
                        LogDeliveringAgain(logger, endpoint, HeldBytes);
                    }
                }

                Finish(payload, rejection);
                return;
            }

            Interlocked.Increment(ref _retryableFailures);
            if (!_failing)
            {
                _failing = true;
                if (Logger is { } logger && logger.IsEnabled(LogLevel.Warning))
                {
                    var endpoint = payload.Uri.GetLeftPart(UriPartial.Authority);
                    LogFailing(logger, endpoint, retryReason, _settings.MaxBytes);
                }
            }

            if (!payload.Compressed)
            {
                var saved = payload.Compress(_blocks);
                lock (_lock)
                {
                    _heldBytes -= saved;
                }
            }

            try
            {
                await Task.Delay(backoff * (0.5 + (Random.Shared.NextDouble() / 2)), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                Finish(payload, "shutdown");
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One delivery attempt: (null, null) delivered; (reason, null) retry; (null, error.type) rejected for good.</summary>
    private async Task<(string? RetryReason, string? Rejection)> AttemptAsync(OtlpPayload payload)
    {
        using var request = payload.CreateRequest();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        attempt.CancelAfter(_settings.AttemptTimeout);
        try
        {
            using var response = await _http.SendAsync(request, attempt.Token);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return status is 429 or 502 or 503 or 504 ? ($"HTTP {status}", null) : (null, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (!payload.Grpc)
            {
                return (null, null);
            }

            await response.Content.ReadAsByteArrayAsync(attempt.Token); // trailers come after the body
            var grpcStatus = GrpcStatus(response);
            return grpcStatus switch
            {
                0 => (null, null),
                // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS
                1 or 4 or 8 or 10 or 11 or 14 or 15 => ($"gRPC status {grpcStatus}", null),
                _ => (null, $"grpc_status_{grpcStatus}"),
            };
        }
        catch (HttpRequestException error)
        {
            return ($"{error.HttpRequestError}: {error.Message}", null);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return ($"no answer within {_settings.AttemptTimeout.TotalMilliseconds} ms", null);
        }
    }

    private static int GrpcStatus(HttpResponseMessage response) =>
        (response.TrailingHeaders.TryGetValues("grpc-status", out var values) || response.Headers.TryGetValues("grpc-status", out values))
        && int.TryParse(values.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? status
            : 2; // UNKNOWN: a gRPC answer without a status

    private void Finish(OtlpPayload payload, string? errorType)
    {
        lock (_lock)
        {
            _inFlight--;
            Release(payload);
            if (_pending.Count == 0 && _inFlight == 0)
            {
                _blocks.Clear(); // caught up: the outage's blocks are not kept
            }

            CheckDrained();
        }

        if (errorType is null)
        {
            _exported[(int)payload.Signal].Add(payload.Items, ComponentTags(payload.Signal, payload.Grpc));
        }
        else
        {
            Drop(payload, errorType);
        }
    }

    /// <summary>Takes a payload's bytes and items off the held totals (under the lock).</summary>
    private void Release(OtlpPayload payload)
    {
        _heldBytes -= payload.Footprint;
        _heldItems[(int)payload.Signal] -= payload.Items;
        payload.Release();
    }

    private void CheckDrained()
    {
        if (_closed && _pending.Count == 0 && _inFlight == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void Drop(OtlpPayload payload, string errorType)
    {
        payload.Release();
        var tags = ComponentTags(payload.Signal, payload.Grpc);
        tags.Add("error.type", errorType);
        _exported[(int)payload.Signal].Add(payload.Items, tags);
        Interlocked.Add(ref _droppedSinceWarning[(int)payload.Signal], payload.Items);
        WarnAboutDrops(force: false);
    }

    private void WarnAboutDrops(bool force)
    {
        lock (_droppedSinceWarning)
        {
            var now = DateTime.UtcNow;
            if (!force && now - _lastWarning < WarningInterval)
            {
                return;
            }

            var dropped = _droppedSinceWarning.Select((_, i) => Interlocked.Exchange(ref _droppedSinceWarning[i], 0)).ToArray();
            if (dropped.All(count => count == 0))
            {
                return;
            }

            _lastWarning = now;
            try
            {
                if (Logger is { } logger)
                {
                    LogDropped(logger, dropped[(int)OtlpSignal.Traces], dropped[(int)OtlpSignal.Logs], dropped[(int)OtlpSignal.Metrics], _settings.MaxBytes);
                }
            }
            catch (ObjectDisposedException)
            {
                // At shutdown the logging pipeline may already be gone; the metric still counted them.
            }
        }
    }

    private TagList ComponentTags(OtlpSignal signal, bool grpc)
    {
        var type = OtlpSignalNames.ComponentType(signal, grpc);
        return new TagList { { "otel.component.type", type }, { "otel.component.name", $"{type}/{_instance}" } };
    }

    /// <summary>Resolved late: the logger factory itself depends on the OTLP log exporter that depends on this buffer.</summary>
    private ILogger? Logger
    {
        get
        {
            try
            {
                return _logger ??= _services.GetService<ILoggerFactory>()?.CreateLogger<ExportBuffer>();
            }
            catch (ObjectDisposedException)
            {
                return null; // the host is gone
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTLP export to {Endpoint} is delivering again; {HeldBytes} bytes held for retry are being sent.")]
    private static partial void LogDeliveringAgain(ILogger logger, string endpoint, long heldBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTLP export to {Endpoint} failed ({Reason}); telemetry is held and retried, up to {MaxBytes} bytes.")]
    private static partial void LogFailing(ILogger logger, string endpoint, string reason, long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry dropped: {Spans} spans, {LogRecords} log records and {DataPoints} metric data points since the last warning (export buffer of {MaxBytes} bytes full, rejected by the collector, or unsent at shutdown); counted in otel.sdk.exporter.*.exported with error.type.")]
    private static partial void LogDropped(ILogger logger, long spans, long logRecords, long dataPoints, long maxBytes);
}
