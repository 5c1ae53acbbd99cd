using System.Diagnostics;
using System.Reflection;
using System.Text;
using AppHost.Eks;
using k8s.Models;

namespace AppHost.Tests.Eks;

/// <summary>
/// SampleApi, started here with the environment its EKS pod gets, logs no port warning. The container
/// runtime is the test double: the environment is layered as Kubernetes does (the image's variables,
/// then the ConfigMaps of <c>envFrom</c>, then <c>env</c>), and only the addresses are moved to loopback.
/// </summary>
public class SampleApiPodStartTests
{
    private const string PortWarning = "Overriding HTTP_PORTS";
    private const string Listening = "Now listening on:";

    // What the .NET runtime images set (mcr.microsoft.com/dotnet/aspnet and runtime-deps since .NET 8).
    private static readonly Dictionary<string, string> ImageEnvironment = new() { ["ASPNETCORE_HTTP_PORTS"] = "8080" };

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task SampleApi_started_with_its_eks_pod_environment_logs_no_port_override_warning()
    {
        var objects = Kustomize.Objects(EksBundle.EksFolder);
        var container = Assert.Single(objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Spec.Containers);
        var fromConfigMaps = container.EnvFrom.Select(source => objects.Single<V1ConfigMap>(source.ConfigMapRef.Name).Data).ToList();

        // The check itself can see the warning: without the container's own env, the image's port meets Aspirate's URLS.
        var withoutEnv = await StartAsync(Layered(fromConfigMaps, []));
        var pod = await StartAsync(Layered(fromConfigMaps, container.Env));

        Assert.Contains(PortWarning, withoutEnv, StringComparison.Ordinal);
        Assert.DoesNotContain(PortWarning, pod, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Layered(List<IDictionary<string, string>> configMaps, IEnumerable<V1EnvVar> env)
    {
        var environment = new Dictionary<string, string>(ImageEnvironment);
        foreach (var (name, value) in configMaps.SelectMany(data => data))
        {
            environment[name] = value;
        }

        // Downward-API values (pod name, node) need a cluster; they do not touch the ports.
        foreach (var variable in env.Where(variable => variable.ValueFrom is null))
        {
            environment[variable.Name] = variable.Value ?? string.Empty;
        }

        // Loopback only: any free port instead of every interface's 8080, and no collector to reach.
        Assert.Contains("+:8080", environment["ASPNETCORE_URLS"], StringComparison.Ordinal);
        environment["ASPNETCORE_URLS"] = environment["ASPNETCORE_URLS"].Replace("+:8080", "127.0.0.1:0", StringComparison.Ordinal);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        return environment;
    }

    /// <summary>Runs the built SampleApi until it listens; returns what it printed by then.</summary>
    private static async Task<string> StartAsync(Dictionary<string, string> environment)
    {
        var configuration = typeof(SampleApiPodStartTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            // No launch profile: nothing but the pod's environment decides the ports.
            ArgumentList = { "run", "--project", Path.Combine(Repository.Root, "SampleApi"), "--no-build", "--no-launch-profile", "--configuration", configuration },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            if (line?.Contains(Listening, StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(StartTimeout);
            Assert.True(listening.Task.IsCompleted, $"SampleApi did not start listening:\n{output}");
            lock (output)
            {
                return output.ToString();
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
