using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Holds every OTLP export request the SDK's exporters serialize and delivers it from background
/// senders, one <see cref="ExportLane"/> per signal and destination (<see cref="ExportDestination"/>), each with
/// the signal's byte budget, under the one retry
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
    private readonly ExportLane?[] _copyLanes;
    private readonly Lock _shutdownLock = new();
    private long? _shutdownStarted;
    private volatile bool _grpc;
    private int _disposed;

    /// <param name="settings">Budgets, maximum age and attempt timeout.</param>
    /// <param name="sender">Sends each attempt; see <see cref="CreateSender"/>.</param>
    /// <param name="time">The clock of backoff, timeouts and ages.</param>
    /// <param name="stderr">Where state changes and the final summary are written.</param>
    /// <param name="jitter">A uniform random number in [0, 1) per retry.</param>
    /// <param name="copied">The signals also sent to an <see cref="OtlpCopy"/> destination: each gets a second lane.</param>
    public ExportBuffer(ExportBufferSettings settings, HttpMessageHandler sender, TimeProvider time, TextWriter stderr, Func<double>? jitter = null,
        IReadOnlySet<OtlpSignal>? copied = null)
    {
        _settings = settings;
        _time = time;
        _http = new HttpMessageInvoker(sender);
        _report = new ExportReport(stderr, (signal, destination) => LaneOrNull(signal, destination)?.HeldItems, () => _grpc);
        var context = new ExportLaneContext(_http, time, settings.Limits, settings.AttemptTimeout,
            jitter ?? Random.Shared.NextDouble, _report, _stopping.Token);
        ExportLane Lane(OtlpSignal signal) =>
            new(signal, settings.MaxBytes(signal), signal == OtlpSignal.Metrics && settings.CumulativeMetrics, context);
        _lanes = [.. Enum.GetValues<OtlpSignal>().Select(Lane)];
        _copyLanes = [.. Enum.GetValues<OtlpSignal>().Select(signal => copied?.Contains(signal) == true ? Lane(signal) : null)];
    }

    /// <summary>The meter of this buffer's exporter metrics.</summary>
    public Meter Meter => _report.Meter;

    /// <summary>Bytes held now, all signals and destinations.</summary>
    public long HeldBytes => AllLanes.Sum(lane => lane.HeldBytes);

    /// <summary>Bytes of one signal held now, for all its destinations; never above its budget per destination.</summary>
    public long HeldBytesOf(OtlpSignal signal) => LanesOf(signal).Sum(lane => lane.HeldBytes);

    /// <summary>Bytes of one signal held now for one destination; never above the signal's budget.</summary>
    public long HeldBytesOf(OtlpSignal signal, ExportDestination destination) => LaneOf(signal, destination).HeldBytes;

    /// <summary>Items of a signal held now, for all its destinations.</summary>
    public long HeldItems(OtlpSignal signal) => LanesOf(signal).Sum(lane => lane.HeldItems);

    /// <summary>Items of a signal dropped since startup.</summary>
    public long DroppedItems(OtlpSignal signal) => _report.Dropped(signal);

    /// <summary>Delivery attempts that failed with a retryable error since startup.</summary>
    public long RetryableFailures => AllLanes.Sum(lane => lane.RetryableFailures);

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
        if (payload.Destination == ExportDestination.Primary)
        {
            _grpc = payload.Grpc;
        }

        LaneOf(payload.Signal, payload.Destination).Add(payload);
    }

    /// <summary>
    /// Waits until every request of <paramref name="signal"/> taken so far, for every destination, is delivered or dropped;
    /// false if some is still held after <paramref name="timeout"/> (or, once the host stops, past the shutdown deadline).
    /// </summary>
    public bool WaitForDelivery(OtlpSignal signal, TimeSpan timeout, bool shuttingDown)
    {
        if (shuttingDown || _shutdownStarted is not null)
        {
            var remaining = ShutdownRemaining();
            timeout = timeout == Timeout.InfiniteTimeSpan || timeout > remaining ? remaining : timeout;
        }

        // The lanes wait side by side, so a copy's outage costs a flush its timeout once, not once per lane.
        var delivered = Task.WhenAll(LanesOf(signal).Select(lane => lane.WaitForDeliveryAsync(timeout))).GetAwaiter().GetResult();
        return delivered.All(done => done);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.WhenAll(AllLanes.Select(lane => lane.WaitForDeliveryAsync(Timeout.InfiniteTimeSpan))).WaitAsync(ShutdownRemaining(), _time);
        }
        catch (TimeoutException)
        {
            // The receiver is away or behind: what is still held is dropped below, counted.
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(AllLanes.Select(lane => lane.CloseAsync()));
        foreach (var lane in AllLanes)
        {
            lane.Dispose();
        }
        _report.Summarize();
        _http.Dispose();
        _report.Dispose();
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private IEnumerable<ExportLane> AllLanes => _lanes.Concat(_copyLanes.OfType<ExportLane>());

    private IEnumerable<ExportLane> LanesOf(OtlpSignal signal) =>
        _copyLanes[(int)signal] is { } copy ? [_lanes[(int)signal], copy] : [_lanes[(int)signal]];

    private ExportLane LaneOf(OtlpSignal signal, ExportDestination destination) => LaneOrNull(signal, destination)
        ?? throw new InvalidOperationException($"No copy lane for {signal}: the buffer was not told that it is copied.");

    private ExportLane? LaneOrNull(OtlpSignal signal, ExportDestination destination) =>
        destination == ExportDestination.Primary ? _lanes[(int)signal] : _copyLanes[(int)signal];

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
