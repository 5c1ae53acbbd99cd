using System.Net.Http.Json;
using Aspire.Hosting.Testing;

namespace EndToEnd.Tests;

/// <summary>Calls the running SampleApi's <c>/sample</c> and returns what it names.</summary>
public static class SampleCall
{
    /// <param name="fixture">The started AppHost.</param>
    /// <param name="delayScale">0 (the default) answers at once; 1 waits the configured 1 s, 2 s and 3 s.</param>
    public static async Task<SampleBody> GetSampleAsync(this AppHostFixture fixture, double delayScale = 0)
    {
        using var client = fixture.App.CreateHttpClient(AppHostFixture.SampleApi);
        return (await client.GetFromJsonAsync<SampleBody>(
            FormattableString.Invariant($"/sample?delayScale={delayScale}")))!;
    }
}

/// <summary>The part of the <c>/sample</c> response the tests use.</summary>
public sealed record SampleBody(string TraceId, IReadOnlyList<SampleStep> Steps);

/// <summary>One step of the sample: its span name and id.</summary>
public sealed record SampleStep(string Name, string SpanId);
