namespace BenchDriver;

/// <summary>The benchmark scenarios, in the order a run performs them.</summary>
internal sealed class Scenarios(Plan plan, Sink sink, ApiBuilds builds, IReadOnlyDictionary<string, string> extraEnvironment)
{
    /// <summary>The server span and the three step spans of one <c>/sample</c> request.</summary>
    public const int SpansPerRequest = 4;

    /// <summary>"sample1 done." … "sample3 done." at Information level.</summary>
    public const int LogRecordsPerRequest = 3;

    private const int ClosedLoopConcurrency = 32;

    /// <summary>Trace-id phases of the wrk runs (the load generator's scenarios use 1 to 17).</summary>
    private const int WrkPhaseBase = 0x20;

    /// <summary>Trace-id phases of the load scenario's wrk runs.</summary>
    private const int LoadPhaseBase = 0x60;

    /// <summary>Trace-id phase of the AOT build's fixed-rate run.</summary>
    private const int AotFixedRatePhase = 17;

    /// <summary>The AOT build's long outage, as the report names it (its phases follow <see cref="AotFixedRatePhase"/>).</summary>
    public const string AotLongOutage = "long outage, AOT";

    public List<CostSample> CostSamples { get; } = [];

    public List<CostSummary> Cost { get; } = [];

    public List<DeliveryResult> Delivery { get; } = [];

    public double FixedRate { get; private set; }

    public string? SigtermExit { get; private set; }

    public List<StartupResult> Startup { get; } = [];

    /// <summary>
    /// Throughput, latency and CPU per request of each variant under wrk, interleaved: every round
    /// runs every variant once, in a rotated order, against processes that stay up (and warm). The
    /// JIT and the AOT builds run side by side in the same rounds, and so do export signed for AWS and
    /// export to a local receiver.
    /// </summary>
    public async Task CostAsync()
    {
        using var awsHosts = await AwsHosts.CreateAsync();
        Variant[] variants =
        [
            Variant.Off(sink), Variant.Traced(sink), Variant.TracedWithoutLogs(sink), Variant.TracedHttp(sink),
            Variant.TracedSignedForAws(sink, awsHosts), Variant.Off(sink, Runtime.Aot), Variant.Traced(sink, Runtime.Aot),
        ];
        var apis = new List<Api>();
        try
        {
            foreach (var variant in variants)
            {
                apis.Add(await Api.StartAsync(builds, variant, extraEnvironment));
            }

            foreach (var api in apis)
            {
                Log($"warming up {api.Variant.Label}");
                await Wrk.RunAsync(api.SampleUri, Plan.WrkThreads, Plan.WrkConnections, plan.Warmup);
            }

            for (var round = 0; round < plan.Rounds; round++)
            {
                for (var i = 0; i < apis.Count; i++)
                {
                    var index = (i + round) % apis.Count;
                    var api = apis[index];
                    var phase = WrkPhaseBase + (round * apis.Count) + index;
                    await Task.Delay(TimeSpan.FromSeconds(2)); // let the previous run's exports drain
                    var server0 = api.Process.CpuTime();
                    var sink0 = sink.Process.CpuTime();
                    var wrk = await Wrk.RunAsync(api.SampleUri, Plan.WrkThreads, Plan.WrkConnections, plan.WrkDuration, phase);
                    var server = api.Process.CpuTime() - server0;
                    var sinkCpu = sink.Process.CpuTime() - sink0;
                    var traced = api.Variant.Exports;
                    var received = traced
                        ? Received((await sink.SettleAsync(phase, SpansPerRequest * wrk.Requests, Plan.SettleQuiet)).SpansByPhase, phase)
                        : 0;
                    var sample = new CostSample(api.Variant.Label, round + 1, wrk,
                        server.TotalMicroseconds / wrk.Requests, sinkCpu.TotalMicroseconds / wrk.Requests,
                        traced ? SpansPerRequest * wrk.Requests : 0, received);
                    CostSamples.Add(sample);
                    Log($"round {round + 1} {api.Variant.Label}: {wrk.RequestsPerSecond:F0} req/s, p99 {wrk.P99Ms:F2} ms, " +
                        $"server {sample.ServerCpuUsPerRequest:F1} µs/req, sink {sample.SinkCpuUsPerRequest:F1} µs/req, " +
                        $"spans {sample.SpansReceived}/{sample.SpansExpected}");
                }
            }

            foreach (var api in apis)
            {
                var samples = CostSamples.Where(sample => sample.Variant == api.Variant.Label).ToList();
                Cost.Add(new CostSummary(
                    api.Variant.Label,
                    Stats.Median(samples.Select(s => s.Wrk.RequestsPerSecond)),
                    Stats.Median(samples.Select(s => s.Wrk.P50Ms)),
                    Stats.Median(samples.Select(s => s.Wrk.P99Ms)),
                    Stats.Median(samples.Select(s => s.ServerCpuUsPerRequest)),
                    Stats.Median(samples.Select(s => s.SinkCpuUsPerRequest)),
                    api.Process.PeakRssMiB(),
                    samples.Sum(s => s.Wrk.Errors),
                    samples.Sum(s => s.SpansExpected),
                    samples.Sum(s => s.SpansReceived)));
            }
        }
        finally
        {
            apis.ForEach(api => api.Dispose());
        }
    }

    /// <summary>Span delivery at maximum throughput, at the fixed rate, and through collector outages.</summary>
    public async Task DeliveryAndOutageAsync()
    {
        using var api = await Api.StartAsync(builds, Variant.Traced(sink), extraEnvironment);
        using var load = new LoadGenerator(api.SampleUri, connections: 64);
        Log("warming up the load generator's target");
        await load.ClosedLoopAsync(0, ClosedLoopConcurrency, plan.Warmup);

        Log("maximum throughput (closed loop)");
        using (var rss = RssSampler.Start(api.Process))
        {
            var max = await load.ClosedLoopAsync(1, ClosedLoopConcurrency, plan.MaxThroughputDuration);
            Delivery.Add(await CountAsync($"max throughput (load generator, closed loop, {ClosedLoopConcurrency} concurrent, {plan.MaxThroughputDuration.TotalSeconds:F0} s)", max, rss));
        }

        // Half of what this load generator reached against the traced API: the fixed rate of the
        // scenarios below. (wrk's maximum is higher, but this generator costs more CPU per request
        // and shares the cores, so half of wrk's rate would overload the machine, not the API.)
        FixedRate = Math.Round(Delivery[^1].Load.RequestsPerSecond!.Value / 2);

        Log($"fixed rate {FixedRate} req/s");
        using (var rss = RssSampler.Start(api.Process))
        {
            var fixedRate = await load.FixedRateAsync(FixedRate, [(2, plan.FixedRateDuration)]);
            Delivery.Add(await CountAsync($"fixed rate {FixedRate:F0} req/s, {plan.FixedRateDuration.TotalSeconds:F0} s", fixedRate[0], rss));
        }

        await FixedRateAotAsync();

        Log("collector outage");
        await OutageAsync(api, load, before: 3, during: 4, after: 5, plan.Outage, "outage");
        Log("collector restart gap");
        await OutageAsync(api, load, before: 11, during: 12, after: 13, Plan.RestartGap, "restart gap");
        if (plan.LongOutage is { } longOutage)
        {
            Log("long collector outage");
            await OutageAsync(api, load, before: 6, during: 7, after: 8, longOutage, "long outage");
        }
    }

    /// <summary>
    /// SampleApi replaced while the collector is down: the first process is stopped (SIGTERM) with
    /// the sink's ports closed, a second one takes the load, then the sink returns. Shows what the
    /// export buffer keeps across a pod replacement (it is in memory: what it held when the first
    /// process stopped is lost, and counted as missing here).
    /// </summary>
    public async Task ReplacementDuringOutageAsync()
    {
        var rate = FixedRate > 0 ? FixedRate : 1000;
        var first = await Api.StartAsync(builds, Variant.Traced(sink), extraEnvironment);
        using var rss = RssSampler.Start(first.Process);
        PhaseResult before, during;
        using (first)
        using (var load = new LoadGenerator(first.SampleUri, connections: 64))
        {
            await load.ClosedLoopAsync(0, ClosedLoopConcurrency, plan.Warmup);
            Log($"SampleApi replaced during an outage, {rate} req/s");
            var phases = await load.FixedRateAsync(rate, [(14, plan.BeforeOutage), (15, plan.BeforeReplacement)],
                onPhaseStart: async phase =>
                {
                    if (phase == 15)
                    {
                        await sink.StopOtlpAsync();
                    }
                });
            (before, during) = (phases[0], phases[1]);
            rss.Stop();
            first.Process.Terminate();
            await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        using var second = await Api.StartAsync(builds, Variant.Traced(sink), extraEnvironment);
        await sink.StartOtlpAsync();
        using var secondLoad = new LoadGenerator(second.SampleUri, connections: 64);
        using var afterRss = RssSampler.Start(second.Process);
        var after = (await secondLoad.FixedRateAsync(rate, [(16, plan.AfterOutage)]))[0];
        Delivery.Add(await CountAsync($"replaced: before (sink up, {plan.BeforeOutage.TotalSeconds:F0} s)", before, rss));
        Delivery.Add(await CountAsync($"replaced: during (sink down, then SIGTERM, {plan.BeforeReplacement.TotalSeconds:F0} s)", during, rss));
        Delivery.Add(await CountAsync($"replaced: after (new process, sink back, {plan.AfterOutage.TotalSeconds:F0} s)", after, afterRss));
    }

    /// <summary>
    /// Delivery under many concurrent connections (wrk, closed loop), each count on a fresh traced
    /// process: the load at which export used to fall behind the requests.
    /// </summary>
    public async Task LoadAsync()
    {
        for (var i = 0; i < Plan.LoadConnections.Length; i++)
        {
            var connections = Plan.LoadConnections[i];
            using var api = await Api.StartAsync(builds, Variant.Traced(sink), extraEnvironment);
            await Wrk.RunAsync(api.SampleUri, Plan.WrkThreads, Plan.WrkConnections, plan.Warmup);
            var phase = LoadPhaseBase + i;
            Log($"load: wrk -c{connections}");
            using var rss = RssSampler.Start(api.Process);
            var wrk = await Wrk.RunAsync(api.SampleUri, Plan.WrkThreads, connections, plan.LoadDuration, phase);
            var load = new PhaseResult(phase, wrk.Requests, wrk.Errors, wrk.P50Ms, wrk.P99Ms, wrk.RequestsPerSecond);
            Delivery.Add(await CountAsync($"load: wrk -t{Plan.WrkThreads} -c{connections}, {plan.LoadDuration.TotalSeconds:F0} s", load, rss));
        }
    }

    /// <summary>SIGTERM while under load, sink up: every span of every answered request must arrive.</summary>
    public async Task SigtermAsync()
    {
        var api = await Api.StartAsync(builds, Variant.Traced(sink), extraEnvironment);
        using var _ = api;
        using var load = new LoadGenerator(api.SampleUri, connections: 64);
        await load.ClosedLoopAsync(0, ClosedLoopConcurrency, plan.Warmup);
        var rate = FixedRate > 0 ? FixedRate : 1000;
        Log($"SIGTERM at {rate} req/s");
        using var rss = RssSampler.Start(api.Process);
        var phases = await load.FixedRateAsync(
            rate,
            [(9, plan.BeforeSigterm), (10, TimeSpan.FromSeconds(10))],
            onPhaseStart: phase =>
            {
                if (phase == 10)
                {
                    api.Process.Terminate();
                }

                return Task.CompletedTask;
            },
            stop: () => api.Process.HasExited);
        var exited = await api.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        SigtermExit = exited ? $"exit code {api.Process.ExitCode}" : "still running 30 s after SIGTERM";
        var both = new PhaseResult(9, phases.Sum(p => p.Ok), phases.Sum(p => p.Failed), phases[0].P50Ms, phases[0].P99Ms, null);
        var counts = await sink.SettleAsync(10, SpansPerRequest * phases[1].Ok, Plan.SettleQuiet, LogRecordsPerRequest * phases[1].Ok);
        counts = await sink.SettleAsync(9, SpansPerRequest * phases[0].Ok, Plan.SettleQuiet, LogRecordsPerRequest * phases[0].Ok);
        Delivery.Add(new DeliveryResult(
            $"SIGTERM after {plan.BeforeSigterm.TotalSeconds:F0} s at {rate:F0} req/s ({SigtermExit})", both,
            SpansPerRequest * both.Ok,
            Received(counts.SpansByPhase, 9) + Received(counts.SpansByPhase, 10),
            LogRecordsPerRequest * both.Ok,
            Received(counts.LogRecordsByPhase, 9) + Received(counts.LogRecordsByPhase, 10),
            rss.PeakMiB));
    }

    /// <summary>
    /// Time from starting the process to the first <c>/health</c> 200, traced as deployed, for each
    /// build: every round starts each build once (alternating which goes first) and stops it again.
    /// </summary>
    public async Task StartupAsync()
    {
        Variant[] variants = [Variant.Traced(sink), Variant.Traced(sink, Runtime.Aot)];
        var samples = variants.ToDictionary(variant => variant.Label, _ => new List<double>());
        for (var round = 0; round < plan.StartupRounds; round++)
        {
            foreach (var variant in round % 2 == 0 ? variants : variants.Reverse())
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                using var api = Api.Launch(builds, variant, extraEnvironment);
                await Readiness.WaitForFirstSuccessAsync(api.BaseAddress, "/health", api.Process);
                samples[variant.Label].Add(started.Elapsed.TotalMilliseconds);
                Log($"start-up {round + 1} {variant.Label}: {started.Elapsed.TotalMilliseconds:F0} ms to the first /health 200");
            }
        }

        Startup.AddRange(samples.Select(s => new StartupResult(s.Key, Stats.Median(s.Value), s.Value.Min(), s.Value.Max(), s.Value)));
    }

    /// <summary>
    /// The AOT build, traced, at the same fixed rate as the JIT one: delivery and peak RSS; then its
    /// long outage, whose peak (the export buffer at its bounds) is what an AOT pod's limit must hold.
    /// </summary>
    private async Task FixedRateAotAsync()
    {
        using var api = await Api.StartAsync(builds, Variant.Traced(sink, Runtime.Aot), extraEnvironment);
        using var load = new LoadGenerator(api.SampleUri, connections: 64);
        await load.ClosedLoopAsync(0, ClosedLoopConcurrency, plan.Warmup);
        Log($"fixed rate {FixedRate} req/s, AOT");
        using (var rss = RssSampler.Start(api.Process))
        {
            var fixedRate = await load.FixedRateAsync(FixedRate, [(AotFixedRatePhase, plan.FixedRateDuration)]);
            Delivery.Add(await CountAsync($"fixed rate {FixedRate:F0} req/s, {plan.FixedRateDuration.TotalSeconds:F0} s, {api.Variant.Label}", fixedRate[0], rss));
        }

        if (plan.LongOutage is { } longOutage)
        {
            Log("long collector outage, AOT");
            await OutageAsync(api, load, before: AotFixedRatePhase + 1, during: AotFixedRatePhase + 2, after: AotFixedRatePhase + 3, longOutage, AotLongOutage);
        }
    }

    private async Task OutageAsync(Api api, LoadGenerator load, int before, int during, int after, TimeSpan outage, string name)
    {
        var samplers = new Dictionary<int, RssSampler>();
        try
        {
            var phases = await load.FixedRateAsync(
                FixedRate,
                [(before, plan.BeforeOutage), (during, outage), (after, plan.AfterOutage)],
                onPhaseStart: async phase =>
                {
                    samplers.Values.ToList().ForEach(sampler => sampler.Stop());
                    samplers[phase] = RssSampler.Start(api.Process);
                    if (phase == during)
                    {
                        await sink.StopOtlpAsync();
                    }
                    else if (phase == after)
                    {
                        await sink.StartOtlpAsync();
                    }
                });
            samplers.Values.ToList().ForEach(sampler => sampler.Stop());
            var labels = new Dictionary<int, string>
            {
                [before] = $"{name}: before (sink up, {plan.BeforeOutage.TotalSeconds:F0} s)",
                [during] = $"{name}: during (sink down, {outage.TotalSeconds:F0} s)",
                [after] = $"{name}: after (sink back, {plan.AfterOutage.TotalSeconds:F0} s)",
            };
            foreach (var phase in phases)
            {
                Delivery.Add(await CountAsync(labels[phase.Phase], phase, samplers[phase.Phase]));
            }
        }
        finally
        {
            samplers.Values.ToList().ForEach(sampler => sampler.Dispose());
        }
    }

    private async Task<DeliveryResult> CountAsync(string scenario, PhaseResult load, RssSampler rss)
    {
        rss.Stop();
        var counts = await sink.SettleAsync(load.Phase, SpansPerRequest * load.Ok, Plan.SettleQuiet, LogRecordsPerRequest * load.Ok);
        var result = new DeliveryResult(
            scenario, load,
            SpansPerRequest * load.Ok, Received(counts.SpansByPhase, load.Phase),
            LogRecordsPerRequest * load.Ok, Received(counts.LogRecordsByPhase, load.Phase),
            rss.PeakMiB);
        Log($"{scenario}: {load.Ok} ok, {load.Failed} failed, p99 {load.P99Ms:F2} ms, spans {result.SpansReceived}/{result.SpansExpected}, peak RSS {rss.PeakMiB:F0} MiB");
        return result;
    }

    private static long Received(Dictionary<string, long> byPhase, int phase) => byPhase.GetValueOrDefault(Phase.Key(phase));

    public static void Log(string message) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {message}");
}

/// <summary>Samples a process's RSS every 200 ms in the background and keeps the maximum.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _peak;

    private RssSampler(ChildProcess process) => _loop = Task.Run(async () =>
    {
        while (!process.HasExited)
        {
            _peak = Math.Max(_peak, process.RssMiB());
            try
            {
                // Cancellable: Stop runs on the load generator's schedule, which must not wait out a sample interval.
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    });

    public double PeakMiB => _peak;

    public static RssSampler Start(ChildProcess process) => new(process);

    public void Stop()
    {
        _stop.Cancel();
        _loop.Wait();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
