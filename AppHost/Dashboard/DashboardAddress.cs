namespace Aspire.Hosting;

/// <summary>Where this run's Aspire dashboard answers, read from the app model once its endpoints are allocated.</summary>
internal static class DashboardAddress
{
    // Aspire's names for its dashboard resource, its endpoints and its login token setting.
    public const string DashboardResource = "aspire-dashboard";
    public const string BrowserTokenSetting = "AppHost:BrowserToken";
    private static readonly string[] DashboardEndpoints = ["https", "http"];

    /// <summary>The dashboard's base address, or null when this run has no dashboard (or it has no address yet).</summary>
    public static Uri? Find(DistributedApplicationModel model)
    {
        if (model.Resources.SingleOrDefault(r => r.Name == DashboardResource) is not IResourceWithEndpoints dashboard)
        {
            return null;
        }

        var endpoint = DashboardEndpoints.Select(dashboard.GetEndpoint).FirstOrDefault(e => e.Exists && e.IsAllocated);
        return endpoint is null ? null : new Uri(endpoint.Url);
    }

    /// <summary>The login link as Aspire's testing helpers build it: the address with the browser token, when there is one.</summary>
    public static Uri LoginUrl(Uri dashboard, string? browserToken) =>
        string.IsNullOrEmpty(browserToken) ? dashboard : new Uri(dashboard, $"/login?t={Uri.EscapeDataString(browserToken)}");

    /// <summary>The dashboard page of one trace.</summary>
    public static Uri TraceUrl(Uri dashboard, string traceId) => new(dashboard, $"/traces/detail/{traceId}");
}
