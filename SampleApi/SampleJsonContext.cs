using System.Text.Json;
using System.Text.Json.Serialization;

namespace SampleApi;

/// <summary>
/// Source-generated JSON metadata for every type the API writes, so serialization needs no
/// reflection: required by the Native AOT binary, and used by the JIT build as well.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SampleResponse))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
