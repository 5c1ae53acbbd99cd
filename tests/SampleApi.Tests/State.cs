using System.Diagnostics;

namespace SampleApi.Tests;

/// <summary>Waiting on a state another thread brings about.</summary>
internal static class State
{
    /// <summary>Far longer than any state here takes to arrive on a loaded machine; reached only when the behaviour is broken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test past the bound.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < Bound, "The awaited state was not reached.");
            await Task.Delay(20);
        }
    }
}
