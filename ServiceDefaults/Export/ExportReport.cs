using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where the export buffer says what happened, never through the pipeline it serves: every item
/// delivered or dropped is counted in <c>otel.sdk.exporter.{span,log,metric_data_point}.exported</c>
/// (with <c>error.type</c> when dropped; the metrics only describe, they are not about one export),
/// state changes and each kind of refusal go once to <see cref="ExportEventSource"/> and stderr,
/// and the drops of the whole run are summed up on stderr at shutdown. Never called under a lane's lock.
/// </summary>
internal sealed class ExportReport : IDisposable
{
    /// <summary>The meter of the exporter metrics; ServiceDefaults subscribes to it.</summary>
    public const string MeterName = "ServiceDefaults.OtlpExportBuffer";

    private static int _instances = -1;

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long>[] _exported;
    private readonly long[] _dropped = new long[3];
    private readonly ConcurrentDictionary<(OtlpSignal, ExportDestination, string), bool> _refusalsReported = new();
    private readonly TextWriter _stderr;
    private readonly string _instance = Interlocked.Increment(ref _instances).ToString(CultureInfo.InvariantCulture);

    /// <param name="stderr">Where state changes and the final summary are written.</param>
    /// <param name="heldItems">Items a signal's lane for a destination holds now; null when the signal has no such lane.</param>
    /// <param name="grpc">Whether the primary destination is spoken to over gRPC.</param>
    public ExportReport(TextWriter stderr, Func<OtlpSignal, ExportDestination, long?> heldItems, Func<bool> grpc)
    {
        _stderr = TextWriter.Synchronized(stderr); // the lanes' senders report concurrently
        _exported = [.. Enum.GetValues<OtlpSignal>().Select(signal => _meter.CreateCounter<long>(
            $"otel.sdk.exporter.{OtlpSignalNames.Item(signal)}.exported", OtlpSignalNames.Unit(signal),
            "Items whose export has finished: delivered, or dropped with error.type saying why."))];
        foreach (var signal in Enum.GetValues<OtlpSignal>())
        {
            _meter.CreateObservableUpDownCounter(
                $"otel.sdk.exporter.{OtlpSignalNames.Item(signal)}.inflight",
                () => Enum.GetValues<ExportDestination>()
                    .Select(destination => (Destination: destination, Held: heldItems(signal, destination)))
                    .Where(lane => lane.Held is not null)
                    // A copy always goes over OTLP/HTTP.
                    .Select(lane => new Measurement<long>(lane.Held!.Value, ComponentTags(signal, grpc() && lane.Destination == ExportDestination.Primary, lane.Destination))),
                OtlpSignalNames.Unit(signal), "Items held by the export buffer, not yet delivered or dropped.");
        }
    }

    /// <summary>The meter of the exporter metrics.</summary>
    public Meter Meter => _meter;

    /// <summary>Items dropped since startup, per signal.</summary>
    public long Dropped(OtlpSignal signal) => Interlocked.Read(ref _dropped[(int)signal]);

    public void Delivered(OtlpPayload payload) =>
        _exported[(int)payload.Signal].Add(payload.Items, ComponentTags(payload.Signal, payload.Grpc, payload.Destination));

    public void Dropped(OtlpPayload payload, string errorType)
    {
        var tags = ComponentTags(payload.Signal, payload.Grpc, payload.Destination);
        tags.Add("error.type", errorType);
        _exported[(int)payload.Signal].Add(payload.Items, tags);
        Interlocked.Add(ref _dropped[(int)payload.Signal], payload.Items);
        ExportEventSource.Log.Dropped(Name(payload.Signal), payload.Items, errorType);
    }

    /// <summary>A refusal that will not heal (a 400, a 403 with AWS's error code, a TLS failure): once per signal, destination and kind.</summary>
    public void Refused(OtlpPayload payload, string errorType, string detail)
    {
        if (_refusalsReported.TryAdd((payload.Signal, payload.Destination, errorType), true))
        {
            ExportEventSource.Log.Refused(Name(payload.Signal), Endpoint(payload), errorType, detail);
            Write($"OTLP {Name(payload.Signal)} export to {Endpoint(payload)} failed for good ({errorType}{(detail.Length > 0 ? ": " + detail : "")}); such requests are dropped, counted in otel.sdk.exporter.*.exported with error.type={errorType}.");
        }
    }

    public void Failing(OtlpPayload payload, string reason, long maxBytes)
    {
        ExportEventSource.Log.Failing(Name(payload.Signal), Endpoint(payload), reason);
        Write($"OTLP {Name(payload.Signal)} export to {Endpoint(payload)} is failing ({reason}); held for retry, up to {maxBytes} bytes.");
    }

    public void DeliveringAgain(OtlpPayload payload)
    {
        ExportEventSource.Log.DeliveringAgain(Name(payload.Signal), Endpoint(payload));
        Write($"OTLP {Name(payload.Signal)} export to {Endpoint(payload)} is delivering again.");
    }

    /// <summary>At shutdown: what the run lost, if anything.</summary>
    public void Summarize()
    {
        var dropped = Enum.GetValues<OtlpSignal>().Select(Dropped).ToArray();
        if (dropped.Any(count => count > 0))
        {
            Write($"Telemetry dropped since startup: {dropped[(int)OtlpSignal.Traces]} spans, {dropped[(int)OtlpSignal.Logs]} log records, " +
                $"{dropped[(int)OtlpSignal.Metrics]} metric data points (see otel.sdk.exporter.*.exported by error.type).");
        }
    }

    public void Dispose() => _meter.Dispose();

    private static string Name(OtlpSignal signal) => signal.ToString().ToLowerInvariant();

    private static string Endpoint(OtlpPayload payload) => payload.Uri.GetLeftPart(UriPartial.Authority);

    private void Write(string line)
    {
        try
        {
            _stderr.WriteLine($"{DateTime.UtcNow:O} ServiceDefaults.OtlpExport: {line}");
        }
        catch (Exception error) when (error is ObjectDisposedException or IOException)
        {
            // stderr closed or broken: the counters still hold it, and a sender must not die of it.
        }
    }

    /// <summary>A copy's exporter is a component of its own, so its name says so (<c>…/0/copy</c>).</summary>
    private TagList ComponentTags(OtlpSignal signal, bool grpc, ExportDestination destination)
    {
        var type = OtlpSignalNames.ComponentType(signal, grpc);
        var name = destination == ExportDestination.Copy ? $"{type}/{_instance}/copy" : $"{type}/{_instance}";
        return new TagList { { "otel.component.type", type }, { "otel.component.name", name } };
    }
}
