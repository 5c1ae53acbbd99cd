using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace AppHost.Tests;

/// <summary>The AppHost's app model for assertions; nothing is started.</summary>
internal static class AppModel
{
    private static readonly TimeSpan BeforeStartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Publish-mode arguments (the manifest publisher, as Aspirate runs it). Without a path the
    /// output goes under the test's bin folder, never into the repository or the temp folder.
    /// </summary>
    public static string[] Publish(string? outputPath = null) =>
        ["--publisher", "manifest", "--output-path", outputPath ?? Path.Combine(AppContext.BaseDirectory, "manifests", $"{Guid.NewGuid():N}.json")];

    /// <summary>
    /// The AppHost's builder after its Program ran, isolated from the machine's user secrets and AWS
    /// settings. Building would start DCP in run mode, which costs seconds per test, so run-mode tests
    /// read the model from here.
    /// </summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. IsolatedAppHost.Arguments, .. args]);

    /// <summary>The built app after <see cref="BeforeStartEvent"/>, which the collector wiring hangs off.</summary>
    public static async Task<DistributedApplication> BuildAsync(params string[] args) =>
        await BuildAsync(await CreateAsync(args));

    /// <summary>
    /// Builds the app and waits for the <see cref="BeforeStartEvent"/> the testing builder raises
    /// itself (in the background, as DCP starts in run mode), so subscribers have run exactly once.
    /// </summary>
    public static async Task<DistributedApplication> BuildAsync(IDistributedApplicationTestingBuilder builder)
    {
        var beforeStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            beforeStart.TrySetResult();
            return Task.CompletedTask;
        });
        var app = await builder.BuildAsync();
        await beforeStart.Task.WaitAsync(BeforeStartTimeout);
        return app;
    }

    public static T Resource<T>(this IEnumerable<IResource> resources, string name)
        where T : IResource =>
        resources.OfType<T>().Single(resource => resource.Name == name);

    public static IEnumerable<IResource> Resources(this DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources;

    public static DistributedApplicationExecutionContext ExecutionContext(this DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationExecutionContext>();

    /// <summary>The environment as the callbacks leave it, values unresolved (expressions, endpoints, text).</summary>
    public static async Task<Dictionary<string, object>> EnvironmentAsync(
        this IResourceWithEnvironment resource, DistributedApplicationExecutionContext executionContext)
    {
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(executionContext, resource, environment);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return environment;
    }

    /// <summary>A value as the manifest writes it, e.g. <c>http://{collector.bindings.grpc.host}:...</c>.</summary>
    public static string Expression(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider expression => expression.ValueExpression,
        _ => throw new InvalidOperationException($"Unexpected value type {value.GetType()}"),
    };
}
