namespace AppHost.Eks;

/// <summary>
/// The projects of the publish-mode model as Aspirate deploys them. Aspirate binds every project's
/// container with <c>ASPNETCORE_URLS=http://+:8080</c> and turns every binding into a container and
/// Service port. So the model has no https endpoint (the pod would get a port 8443 that nothing
/// serves) and no <c>HTTP_PORTS</c> (ASP.NET Core logs "Overriding HTTP_PORTS" at every start when
/// URLS and a non-empty HTTP_PORTS meet; the image's own ASPNETCORE_HTTP_PORTS is cleared by the
/// overlay, since Aspirate drops empty values).
/// </summary>
internal static class PublishedProjects
{
    /// <summary>Set by Aspire when publishing a project.</summary>
    public const string HttpPortsVariable = "HTTP_PORTS";

    /// <summary>Leaves each project one plain http endpoint, bound by Aspirate's ASPNETCORE_URLS alone.</summary>
    public static void ServeHttpOnlyAsAspirateBindsIt(DistributedApplicationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);

        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            // Aspire adds a default https endpoint to every web project when publishing.
            foreach (var https in project.Annotations.OfType<EndpointAnnotation>().Where(IsHttps).ToList())
            {
                project.Annotations.Remove(https);
            }

            // Runs after Aspire's own callback, which sets HTTP_PORTS when publishing.
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables.Remove(HttpPortsVariable)));
        }
    }

    private static bool IsHttps(EndpointAnnotation endpoint) =>
        string.Equals(endpoint.UriScheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
}
