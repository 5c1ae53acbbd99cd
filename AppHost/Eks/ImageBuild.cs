namespace AppHost.Eks;

/// <summary>
/// Which build of a project its image holds (<c>Eks:ImageBuild</c>): the guide publishes the Native
/// AOT binary; <c>-p:PublishAot=false</c> publishes the JIT build instead. The pod's memory follows it.
/// </summary>
internal enum ImageBuild
{
    NativeAot,
    Jit,
}

/// <summary>
/// A project pod's memory for each build, from that build's peaks in the recorded benchmark run
/// (docs/benchmarks/README.md, "JIT or Native AOT"): the request above the steady peak under load,
/// the limit above the peak of a long collector outage with every export budget full. .NET sizes its
/// GC heap to 75% of the limit. The benchmark links this file to give each build its pod's heap limit.
/// </summary>
internal static class PodMemory
{
    /// <summary>AOT: 68–76 MiB under load; 176–180 MiB in the 90 s outage.</summary>
    private const int NativeAotRequestMiB = 96, NativeAotLimitMiB = 256;

    /// <summary>JIT: 132–150 MiB under load; 250–294 MiB in the 90 s outage.</summary>
    private const int JitRequestMiB = 160, JitLimitMiB = 320;

    public static int RequestMiB(ImageBuild build) => build == ImageBuild.Jit ? JitRequestMiB : NativeAotRequestMiB;

    public static int LimitMiB(ImageBuild build) => build == ImageBuild.Jit ? JitLimitMiB : NativeAotLimitMiB;
}
