using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

/// <summary>
/// An ActivitySource whose activities are all recorded, with the X-Ray root trace id generator
/// installed until disposed (it is process-wide: use inside <see cref="ProcessWideTracingState"/>).
/// </summary>
internal sealed class XRayActivityScope : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Func<ActivityTraceId>? _previousGenerator = Activity.TraceIdGenerator;

    public XRayActivityScope(TimeProvider clock, [CallerMemberName] string name = "")
    {
        Source = new ActivitySource(name);
        _listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        XRayTraceId.UseForRootActivities(clock);
    }

    public ActivitySource Source { get; }

    public void Dispose()
    {
        Activity.TraceIdGenerator = _previousGenerator;
        _listener.Dispose();
        Source.Dispose();
    }
}
