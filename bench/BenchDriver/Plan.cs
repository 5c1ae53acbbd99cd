namespace BenchDriver;

/// <summary>How long and how often each scenario runs. Quick mode checks the harness in a few minutes.</summary>
internal sealed record Plan(bool Quick)
{
    public int Rounds => Quick ? 2 : 5;

    public const int WrkThreads = 2;

    public const int WrkConnections = 32;

    /// <summary>The most spans that requests abandoned by wrk at its stop can add to a run.</summary>
    public const int SpansPerRequestTimesConnections = Scenarios.SpansPerRequest * WrkConnections;

    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 3 : 5);

    public TimeSpan WrkDuration => TimeSpan.FromSeconds(Quick ? 5 : 10);

    public TimeSpan MaxThroughputDuration => TimeSpan.FromSeconds(Quick ? 5 : 10);

    public TimeSpan FixedRateDuration => TimeSpan.FromSeconds(Quick ? 15 : 60);

    public TimeSpan BeforeOutage => TimeSpan.FromSeconds(Quick ? 5 : 10);

    public TimeSpan Outage => TimeSpan.FromSeconds(Quick ? 10 : 30);

    public TimeSpan AfterOutage => TimeSpan.FromSeconds(Quick ? 10 : 20);

    /// <summary>Only in a full run: long enough for any unbounded buffer to show in RSS.</summary>
    public TimeSpan? LongOutage => Quick ? null : TimeSpan.FromSeconds(90);

    /// <summary>A collector restart: the sink's ports closed for about as long as a container restart takes.</summary>
    public static readonly TimeSpan RestartGap = TimeSpan.FromSeconds(3);

    /// <summary>wrk connections of the load scenario: well past the 32 of the cost runs.</summary>
    public static readonly int[] LoadConnections = [256, 2000];

    public TimeSpan LoadDuration => TimeSpan.FromSeconds(Quick ? 5 : 10);

    /// <summary>How long SampleApi runs with the sink down before it is replaced (SIGTERM, a new process).</summary>
    public TimeSpan BeforeReplacement => TimeSpan.FromSeconds(Quick ? 3 : 5);

    public TimeSpan BeforeSigterm => TimeSpan.FromSeconds(Quick ? 3 : 5);

    /// <summary>Cold starts of each build; the start-up time is their median.</summary>
    public int StartupRounds => Quick ? 3 : 10;

    /// <summary>A phase's spans count as delivered once this long passes with no new arrivals.</summary>
    public static readonly TimeSpan SettleQuiet = TimeSpan.FromSeconds(8);
}
