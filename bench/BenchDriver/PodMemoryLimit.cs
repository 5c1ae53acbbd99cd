using System.Globalization;
using System.Text.RegularExpressions;

namespace BenchDriver;

/// <summary>
/// SampleApi's container memory limit as the committed EKS manifest sets it, and the GC heap limit
/// .NET derives from it inside that container (75 %, learn.microsoft.com/dotnet/core/runtime-config/garbage-collector#heap-hard-limit).
/// </summary>
/// <remarks>
/// The benchmark has no container, so every SampleApi process gets that heap limit explicitly.
/// Without any limit the GC sizes its gen0 budget from the L3 cache, which is 260 MiB on this
/// workplace's machines, and the peak RSS under load measures that cache rather than the pod.
/// </remarks>
internal static partial class PodMemoryLimit
{
    private const string Manifest = "manifests/eks-common/sampleapi-deployment.yaml";
    private const long MiB = 1024 * 1024;
    private const double ContainerHeapLimitFraction = 0.75;

    /// <summary><c>DOTNET_GCHeapHardLimit</c> for the pod's limit: hexadecimal, without a prefix (both the JIT and Native AOT read that form).</summary>
    public static string GcHeapHardLimit(string repo)
    {
        var limitMiB = LimitMiB(repo);
        return ((long)(limitMiB * MiB * ContainerHeapLimitFraction)).ToString("X", CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>limits.memory</c> of the manifest, in Mi.</summary>
    public static long LimitMiB(string repo)
    {
        var path = Path.Combine(repo, Manifest);
        var match = LimitsMemory().Match(File.ReadAllText(path));
        return match.Success
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{Manifest} has no limits.memory in Mi; regenerate manifests/ or update {nameof(PodMemoryLimit)}.");
    }

    // "limits:" followed (before "requests:") by "memory: NNNMi".
    [GeneratedRegex(@"limits:(?:(?!requests:)[\s\S])*?memory:\s*(\d+)Mi")]
    private static partial Regex LimitsMemory();
}
