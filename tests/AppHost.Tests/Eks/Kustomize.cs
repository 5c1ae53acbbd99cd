using System.Collections.Concurrent;
using System.ComponentModel;
using AppHost.Eks;
using CliWrap;
using CliWrap.Buffered;
using k8s;

namespace AppHost.Tests.Eks;

/// <summary>Renders an overlay with kubectl's built-in kustomize, the way <c>kubectl apply -k</c> reads it.</summary>
internal static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    /// <summary>Kinds beyond Kubernetes' own that the bundle uses, for typed deserialization.</summary>
    private static readonly Dictionary<string, Type> CustomTypes = new()
    {
        [$"{OpenTelemetryCollectorResource.KubeGroup}/{OpenTelemetryCollectorResource.KubeApiVersion}/{OpenTelemetryCollectorResource.KubeKind}"] =
            typeof(OpenTelemetryCollectorResource),
    };

    /// <summary>The committed overlay <paramref name="overlay"/> (e.g. <c>eks</c>) rendered, once per test run.</summary>
    public static string Render(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<string>(() => RenderFolder(Path.Combine(Repository.Manifests, name)))).Value;

    /// <summary>Every rendered object as KubernetesClient's typed model; unknown fields fail (strict).</summary>
    public static List<object> Objects(string overlay) =>
        KubernetesYaml.LoadAllFromString(Render(overlay), CustomTypes, strict: true).ToList();

    /// <summary>Runs <c>kubectl kustomize</c> on any folder; fails the test plainly when kubectl is missing.</summary>
    public static string RenderFolder(string folder)
    {
        BufferedCommandResult result;
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            // stdout is the YAML; kubectl's warnings on stderr stay out of it.
            result = Cli.Wrap("kubectl").WithArguments(["kustomize", folder]).WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token).GetAwaiter().GetResult();
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException("kubectl not found: the EKS overlay tests render with kubectl's built-in kustomize; install kubectl (1.34 or newer).");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"kubectl kustomize {folder} did not finish within {Timeout}.");
        }

        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"kubectl kustomize {folder} failed ({result.ExitCode}): {result.StandardError}");
    }
}
