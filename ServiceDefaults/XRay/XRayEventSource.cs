using System.Diagnostics.Tracing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Diagnostics for X-Ray propagation, off unless a listener enables them (<c>dotnet-trace</c>,
/// <c>dotnet-counters</c>): cheap enough for the request path, and never the header value itself,
/// which an attacker controls.
/// </summary>
[EventSource(Name = SourceName)]
internal sealed class XRayEventSource : EventSource
{
    internal const string SourceName = "ServiceDefaults-XRay";

    private const int MalformedHeaderEventId = 1;

    public static readonly XRayEventSource Log = new();

    [Event(MalformedHeaderEventId, Level = EventLevel.Warning,
        Message = "Ignored a malformed X-Amzn-Trace-Id header of {0} characters; a new trace starts.")]
    public void MalformedHeader(int length)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            WriteEvent(MalformedHeaderEventId, length);
        }
    }
}
