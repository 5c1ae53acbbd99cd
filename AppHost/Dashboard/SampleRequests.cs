namespace Aspire.Hosting;

/// <summary>The SampleApi requests the AppHost offers a newcomer: in the console, on the dashboard and as a command.</summary>
internal static class SampleRequests
{
    /// <summary>The sample with its configured delays: the trace the README describes.</summary>
    public const string Sample = "/sample";

    /// <summary>The same spans without waiting, answered at once.</summary>
    public const string SampleWithoutDelays = "/sample?delayScale=0";

    /// <summary>The span the dashboard's Traces page lists a call under, for the API named <paramref name="apiName"/>.</summary>
    public static string TraceName(string apiName) => $"{apiName}: GET {Sample}";
}
