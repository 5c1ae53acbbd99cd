using System.Diagnostics.Tracing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Diagnostics of signing telemetry for AWS, off unless a listener enables them (<c>dotnet-trace</c>):
/// never through <c>ILogger</c>, whose records would travel the export path these events are about.
/// </summary>
[EventSource(Name = SourceName)]
internal sealed class AwsEventSource : EventSource
{
    internal const string SourceName = "ServiceDefaults-Aws";

    private const int CredentialsFailedEventId = 1;

    public static readonly AwsEventSource Log = new();

    [Event(CredentialsFailedEventId, Level = EventLevel.Error,
        Message = "No AWS credentials for signing an export to {0}: {1}: {2}. The export is retried.")]
    public void CredentialsFailed(string service, string errorType, string message)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            WriteEvent(CredentialsFailedEventId, service, errorType, message);
        }
    }
}
