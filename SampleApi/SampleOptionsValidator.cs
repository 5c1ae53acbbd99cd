using Microsoft.Extensions.Options;

namespace SampleApi;

/// <summary>
/// Checks <see cref="SampleOptions"/> against its data annotations with code the options
/// validation source generator writes at build time, instead of reflection at run time.
/// </summary>
[OptionsValidator]
internal sealed partial class SampleOptionsValidator : IValidateOptions<SampleOptions>;
