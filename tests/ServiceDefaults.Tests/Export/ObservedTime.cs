using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ServiceDefaults.Tests.Export;

/// <summary>
/// A fake clock that also tells when a timer is set and for how long, so a test advances time only
/// once the buffer waits on it (advancing earlier would be missed by a timer set afterwards).
/// </summary>
internal sealed class ObservedTime : FakeTimeProvider, IDisposable
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();
    private readonly SemaphoreSlim _timerSet = new(0);

    public ObservedTime()
        : base(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Enqueue(dueTime);
        _timerSet.Release();
        return timer;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> timers for exactly <paramref name="dueTime"/> have been set
    /// since the start (bounded, so a broken buffer fails instead of hanging).
    /// </summary>
    public async Task TimerSetAsync(TimeSpan dueTime, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_timers.Count(timer => timer == dueTime) < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero && await _timerSet.WaitAsync(left), $"No timer of {dueTime} was set.");
        }
    }

    public void Dispose() => _timerSet.Dispose();
}
