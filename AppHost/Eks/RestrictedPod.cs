using k8s.Models;

namespace AppHost.Eks;

/// <summary>
/// Security contexts that pass the Kubernetes <c>restricted</c> Pod Security Standard: non-root,
/// no privilege escalation, every capability dropped, the runtime's default seccomp profile, and a
/// read-only root filesystem (writable paths come from emptyDir volumes).
/// </summary>
internal static class RestrictedPod
{
    public const string Level = "restricted";
    public const string SeccompRuntimeDefault = "RuntimeDefault";
    public const string AllCapabilities = "ALL";

    /// <summary>The pod's context; <paramref name="user"/> is numeric so the kubelet can check non-root without the image.</summary>
    public static V1PodSecurityContext Pod(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        SeccompProfile = new V1SeccompProfile { Type = SeccompRuntimeDefault },
    };

    /// <summary>Every container's context.</summary>
    public static V1SecurityContext Container() => new()
    {
        RunAsNonRoot = true,
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = [AllCapabilities] },
        ReadOnlyRootFilesystem = true,
        SeccompProfile = new V1SeccompProfile { Type = SeccompRuntimeDefault },
    };

    /// <summary>Requests and limits in Kubernetes quantities (<c>100m</c>, <c>128Mi</c>).</summary>
    public static V1ResourceRequirements Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuRequest),
            ["memory"] = new(memoryRequest),
        },
        Limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuLimit),
            ["memory"] = new(memoryLimit),
        },
    };

    /// <summary>A writable, pod-lifetime folder for a read-only root filesystem.</summary>
    public static V1Volume EmptyDir(string name) => new() { Name = name, EmptyDir = new V1EmptyDirVolumeSource() };
}
