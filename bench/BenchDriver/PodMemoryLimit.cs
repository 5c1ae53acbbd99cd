using System.Globalization;
using AppHost.Eks;

namespace BenchDriver;

/// <summary>
/// Each build's pod memory limit, as the EKS manifests set it (<see cref="PodMemory"/>, linked from
/// the AppHost), and the GC heap limit .NET derives from it inside that container (75 %,
/// learn.microsoft.com/dotnet/core/runtime-config/garbage-collector#heap-hard-limit).
/// </summary>
/// <remarks>
/// The benchmark has no container, so every SampleApi process gets that heap limit explicitly.
/// Without any limit the GC sizes its gen0 budget from the L3 cache, which is 260 MiB on this
/// workplace's machines, and the peak RSS under load measures that cache rather than the pod.
/// </remarks>
internal static class PodMemoryLimit
{
    private const long MiB = 1024 * 1024;
    private const double ContainerHeapLimitFraction = 0.75;

    /// <summary>The <c>limits.memory</c> of the pod that runs this build, in Mi.</summary>
    public static long LimitMiB(Runtime runtime) => PodMemory.LimitMiB(runtime == Runtime.Aot ? ImageBuild.NativeAot : ImageBuild.Jit);

    /// <summary><c>DOTNET_GCHeapHardLimit</c> for that pod: hexadecimal, without a prefix (both the JIT and Native AOT read that form).</summary>
    public static string GcHeapHardLimit(Runtime runtime) =>
        ((long)(LimitMiB(runtime) * MiB * ContainerHeapLimitFraction)).ToString("X", CultureInfo.InvariantCulture);
}
