using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace SampleApi;

/// <summary>How long each step of <c>GET /sample</c> sleeps (configuration section <c>Sample</c>).</summary>
/// <remarks>Validated by <see cref="SampleOptionsValidator"/>, generated from these attributes.</remarks>
[UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
    Justification = "Nothing reads these attributes by reflection: SampleOptionsValidator checks the ranges with the options source generator's own trim-safe copy of RangeAttribute.")]
public sealed class SampleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Sample";

    private const string MaxDelay = "00:01:00";

    /// <summary>Own delay of step <c>sample1</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", MaxDelay)]
    public TimeSpan Sample1Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Own delay of step <c>sample2</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", MaxDelay)]
    public TimeSpan Sample2Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Own delay of step <c>sample3</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", MaxDelay)]
    public TimeSpan Sample3Delay { get; set; } = TimeSpan.FromSeconds(3);

    internal TimeSpan[] Delays => [Sample1Delay, Sample2Delay, Sample3Delay];
}
