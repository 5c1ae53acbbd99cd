using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registered after a signal's OTLP export processor (processors flush in registration order; the
/// exporter is added with <c>AddOtlpExporter</c>, since <c>UseOtlpExporter</c> moves its processor
/// to the end of the pipeline by an internal weight), so that <c>ForceFlush</c> and shutdown report what
/// happened: they return once the export buffer has delivered (or dropped) everything the export
/// processor handed it before, and false when some is still held at the timeout. Without it they
/// would report success as soon as the buffer had taken the requests.
/// </summary>
internal sealed class ExportFlushProcessor<T> : BaseProcessor<T>
    where T : class
{
    private readonly ExportBuffer _buffer;
    private readonly OtlpSignal _signal;

    public ExportFlushProcessor(ExportBuffer buffer, OtlpSignal signal) => (_buffer, _signal) = (buffer, signal);

    protected override bool OnForceFlush(int timeoutMilliseconds) =>
        _buffer.WaitForDelivery(_signal, Timeout(timeoutMilliseconds), shuttingDown: false);

    protected override bool OnShutdown(int timeoutMilliseconds) =>
        _buffer.WaitForDelivery(_signal, Timeout(timeoutMilliseconds), shuttingDown: true);

    private static TimeSpan Timeout(int milliseconds) =>
        milliseconds < 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
}
