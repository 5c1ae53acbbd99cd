using System.Diagnostics.Tracing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The export buffer's own health, outside the telemetry pipeline it serves (a warning logged
/// through ILogger would be one more record in the buffer it describes). Off unless a listener
/// enables it (<c>dotnet-trace collect --providers ServiceDefaults-OtlpExport</c>); state changes,
/// first refusals and the final summary also go to stderr, which the container runtime keeps.
/// </summary>
[EventSource(Name = SourceName)]
internal sealed class ExportEventSource : EventSource
{
    internal const string SourceName = "ServiceDefaults-OtlpExport";

    private const int FailingEventId = 1, DeliveringAgainEventId = 2, DroppedEventId = 3, RefusedEventId = 4;

    public static readonly ExportEventSource Log = new();

    [Event(FailingEventId, Level = EventLevel.Warning, Message = "OTLP {0} export to {1} is failing ({2}); held and retried.")]
    public void Failing(string signal, string endpoint, string reason) => WriteEvent(FailingEventId, signal, endpoint, reason);

    [Event(DeliveringAgainEventId, Level = EventLevel.Informational, Message = "OTLP {0} export to {1} is delivering again.")]
    public void DeliveringAgain(string signal, string endpoint) => WriteEvent(DeliveringAgainEventId, signal, endpoint);

    [Event(DroppedEventId, Level = EventLevel.Warning, Message = "Dropped {1} {0} items: {2}.")]
    public void Dropped(string signal, long items, string errorType) => WriteEvent(DroppedEventId, signal, items, errorType);

    [Event(RefusedEventId, Level = EventLevel.Error, Message = "OTLP {0} export to {1} refused for good: {2} {3}.")]
    public void Refused(string signal, string endpoint, string errorType, string detail) => WriteEvent(RefusedEventId, signal, endpoint, errorType, detail);
}
