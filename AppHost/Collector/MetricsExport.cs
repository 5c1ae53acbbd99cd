namespace Aspire.Hosting;

/// <summary>How the collector sends metrics to CloudWatch (setting <c>MetricsExport</c>).</summary>
public enum MetricsExport
{
    /// <summary>
    /// OTLP/HTTP signed with SigV4 (service <c>monitoring</c>) to CloudWatch's OTLP metrics endpoint
    /// (<c>otlp_http</c> + <c>sigv4auth</c>): every metric, queried with PromQL. The default.
    /// </summary>
    Otlp,

    /// <summary>
    /// The <c>awsemf</c> exporter (embedded metric format in a log group, billed per metric): two
    /// filtered metrics, for accounts or regions without the OTLP metrics endpoint.
    /// </summary>
    Emf,
}
