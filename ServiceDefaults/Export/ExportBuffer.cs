using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Holds every OTLP export request the SDK's exporters serialize and delivers it from background
/// senders, one <see cref="ExportLane"/> per signal with its own byte budget, under the one retry
/// policy for telemetry (<see cref="DeliveryPolicy"/>). Nothing it does is traced, logged through the
/// pipeline or measured by the HttpClient metrics; what it delivers and drops is counted and reported
/// by <see cref="ExportReport"/>. On host stop the SDK's flush and this buffer's disposal share one
/// deadline of <see cref="FlushTimeout"/>; what is still held then is dropped, counted and summed up on stderr.
/// </summary>
internal sealed class ExportBuffer : IAsyncDisposable, IDisposable
{
    /// <summary>Longest the buffer keeps delivering once the host stops.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(ServiceDefaultsExtensions.ExportFlushSeconds);

    private readonly ExportBufferSettings _settings;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly ExportReport _report;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ExportLane[] _lanes;
    private readonly Lock _shutdownLock = new();
    private long? _shutdownStarted;
    private volatile bool _grpc;
    private int _disposed;

    /// <param name="settings">Budgets, maximum age and attempt timeout.</param>
    /// <param name="sender">Sends each attempt; see <see cref="CreateSender"/>.</param>
    /// <param name="time">The clock of backoff, timeouts and ages.</param>
    /// <param name="stderr">Where state changes and the final summary are written.</param>
    /// <param name="jitter">A uniform random number in [0, 1) per retry.</param>
    public ExportBuffer(ExportBufferSettings settings, HttpMessageHandler sender, TimeProvider time, TextWriter stderr, Func<double>? jitter = null)
    {
        _settings = settings;
        _time = time;
        _http = new HttpMessageInvoker(sender);
        _report = new ExportReport(stderr, HeldItems, () => _grpc);
        var context = new ExportLaneContext(_http, time, settings.Limits, settings.AttemptTimeout,
            jitter ?? Random.Shared.NextDouble, _report, _stopping.Token);
        _lanes = [.. Enum.GetValues<OtlpSignal>().Select(signal => new ExportLane(
            signal, settings.MaxBytes(signal), signal == OtlpSignal.Metrics && settings.CumulativeMetrics, context))];
    }

    /// <summary>The meter of this buffer's exporter metrics.</summary>
    public Meter Meter => _report.Meter;

    /// <summary>Bytes held now, all signals.</summary>
    public long HeldBytes => _lanes.Sum(lane => lane.HeldBytes);

    /// <summary>Bytes of one signal held now; never above its budget.</summary>
    public long HeldBytesOf(OtlpSignal signal) => _lanes[(int)signal].HeldBytes;

    /// <summary>Items of a signal held now.</summary>
    public long HeldItems(OtlpSignal signal) => _lanes[(int)signal].HeldItems;

    /// <summary>Items of a signal dropped since startup.</summary>
    public long DroppedItems(OtlpSignal signal) => _report.Dropped(signal);

    /// <summary>Delivery attempts that failed with a retryable error since startup.</summary>
    public long RetryableFailures => _lanes.Sum(lane => lane.RetryableFailures);

    /// <summary>
    /// The handler deliveries go out through: no proxy, the attempt timeout as connect timeout, and the
    /// runtime's HttpClient metrics sent to a meter nobody subscribes to (instrumentation suppression
    /// covers spans, not metrics), so a delivery is never measured as an application HTTP call.
    /// </summary>
    public static SocketsHttpHandler CreateSender(ExportBufferSettings settings) => new()
    {
        ConnectTimeout = settings.AttemptTimeout,
        EnableMultipleHttp2Connections = true,
        UseProxy = false,
        MeterFactory = UnobservedMeterFactory.Instance,
    };

    /// <summary>Takes one export request; never blocks beyond a copy (and, during an outage, a gzip).</summary>
    public void Add(OtlpPayload payload)
    {
        _grpc = payload.Grpc;
        _lanes[(int)payload.Signal].Add(payload);
    }

    /// <summary>
    /// Waits until every request of <paramref name="signal"/> taken so far is delivered or dropped;
    /// false if some is still held after <paramref name="timeout"/> (or, once the host stops, past the shutdown deadline).
    /// </summary>
    public bool WaitForDelivery(OtlpSignal signal, TimeSpan timeout, bool shuttingDown)
    {
        if (shuttingDown || _shutdownStarted is not null)
        {
            var remaining = ShutdownRemaining();
            timeout = timeout == Timeout.InfiniteTimeSpan || timeout > remaining ? remaining : timeout;
        }

        return _lanes[(int)signal].WaitForDeliveryAsync(timeout).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_lanes.Select(lane => lane.WaitForDeliveryAsync(Timeout.InfiniteTimeSpan))).WaitAsync(ShutdownRemaining(), _time);
        }
        catch (TimeoutException)
        {
            // The receiver is away or behind: what is still held is dropped below, counted.
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_lanes.Select(lane => lane.CloseAsync()));
        Array.ForEach(_lanes, lane => lane.Dispose());
        _report.Summarize();
        _http.Dispose();
        _report.Dispose();
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Time left before the one shutdown deadline, which starts at the first call.</summary>
    private TimeSpan ShutdownRemaining()
    {
        lock (_shutdownLock)
        {
            _shutdownStarted ??= _time.GetTimestamp();
        }

        var left = FlushTimeout - _time.GetElapsedTime(_shutdownStarted.Value);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Creates meters under a name no MeterProvider here listens to.</summary>
    private sealed class UnobservedMeterFactory : IMeterFactory
    {
        public static readonly UnobservedMeterFactory Instance = new();

        private const string ReportMeterPrefix = "ServiceDefaults.OtlpExport.Unobserved";

        public Meter Create(MeterOptions options) => new($"{ReportMeterPrefix}.{options.Name}", options.Version);

        public void Dispose()
        {
        }
    }
}
