namespace Aspire.Hosting;

/// <summary>How the collector sends traces to AWS (setting <c>TraceExport</c>).</summary>
public enum TraceExport
{
    /// <summary>
    /// OTLP/HTTP signed with SigV4 to X-Ray's OTLP endpoint (<c>otlp_http</c> + <c>sigv4auth</c>), AWS's
    /// current route. Needs Transaction Search on the account. The default.
    /// </summary>
    Otlp,

    /// <summary>The <c>awsxray</c> exporter (PutTraceSegments), for accounts without Transaction Search.</summary>
    XRay,
}
