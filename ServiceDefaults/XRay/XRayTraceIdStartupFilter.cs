using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>Runs <see cref="XRayTraceIdMiddleware"/> first in every service's pipeline, without each app opting in.</summary>
internal sealed class XRayTraceIdStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<XRayTraceIdMiddleware>();
        next(app);
    };
}
