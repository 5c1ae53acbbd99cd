using System.Globalization;
using System.Text;

namespace BenchDriver;

/// <summary>Writes a run's results as Markdown (tables and the targets with their measured values) and an SVG chart.</summary>
internal static class Report
{
    private const int PanelWidth = 260, Height = 300, Top = 40, Bottom = 60, BarGap = 10, LegendColumns = 3;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>RSS is read in MiB; the targets are in MB.</summary>
    private const double MiBInMB = 1.048576;

    public static string Markdown(Results results)
    {
        var md = new StringBuilder();
        var plan = results.Plan;
        md.AppendLine(Invariant, $"# Benchmark results ({results.Mode} run)");
        md.AppendLine();
        md.AppendLine(Invariant, $"Written by `bench/run.sh{(plan.Quick ? " --quick" : "")}` on {results.Started:yyyy-MM-dd HH:mm} UTC. {results.Machine}");
        md.AppendLine(Invariant, $"SampleApi (Release), wrk, the load generator and the OTLP sink share the same cores; the route is `{Api.SamplePath}` (a server span and three nested spans, no sleeping). How to read this, and what each setting bought: [README.md](README.md).");
        md.AppendLine();
        md.AppendLine(Invariant, $"![throughput, CPU per request and p99 by variant](results.svg)");
        md.AppendLine();
        md.AppendLine(Invariant, $"## Cost of tracing (wrk -t{Plan.WrkThreads} -c{Plan.WrkConnections}, {plan.WrkDuration.TotalSeconds:F0} s × {plan.Rounds} rounds, interleaved, medians)");
        md.AppendLine();
        md.AppendLine("| variant | req/s | p50 | p99 | server CPU per request | sink CPU per request | peak RSS | failed requests | spans received / 4 × completed |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in results.Cost)
        {
            var spans = c.SpansExpected == 0 ? "–" : $"{c.SpansReceived} / {c.SpansExpected} = {Percent((double)c.SpansReceived / c.SpansExpected)}";
            md.AppendLine(Invariant, $"| {c.Variant} | {c.RequestsPerSecond / 1000:F1}k | {c.P50Ms:F2} ms | {c.P99Ms:F2} ms | {c.ServerCpuUsPerRequest:F1} µs | {c.SinkCpuUsPerRequest:F1} µs | {c.PeakRssMiB:F0} MiB | {c.Errors} | {spans} |");
        }

        md.AppendLine();
        md.AppendLine(Invariant, $"Spans are summed over the rounds. wrk abandons up to {Plan.WrkConnections} requests in flight at each stop, which the server may still complete, so received can exceed 4 × completed by up to {Plan.SpansPerRequestTimesConnections} spans per run, and a loss below that is invisible here; the load generator's scenarios below count exactly.");

        md.AppendLine();
        md.AppendLine("## Span delivery (bench's load generator: exact counts of answered requests)");
        md.AppendLine();
        md.AppendLine("| scenario | requests ok | failed | p50 | p99 | spans received / created | log records received / written | peak RSS |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var d in results.Delivery)
        {
            md.AppendLine(Invariant, $"| {d.Scenario} | {d.Load.Ok} | {d.Load.Failed} | {d.Load.P50Ms:F2} ms | {d.Load.P99Ms:F2} ms | {d.SpansReceived} / {d.SpansExpected} = {Percent(d.Delivered)} | {d.LogRecordsReceived} / {d.LogRecordsExpected} | {d.PeakRssMiB:F0} MiB |");
        }

        if (results.Startup.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Start-up (process start to the first `/health` 200, traced over gRPC, cold process each time)");
            md.AppendLine();
            md.AppendLine("| variant | median | min | max | every start |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var s in results.Startup)
            {
                md.AppendLine(Invariant, $"| {s.Variant} | {s.MedianMs:F0} ms | {s.MinMs:F0} ms | {s.MaxMs:F0} ms | {string.Join(", ", s.SamplesMs.Select(ms => ms.ToString("F0", Invariant)))} |");
            }
        }

        if (results.SinkTotals is { } totals)
        {
            md.AppendLine();
            md.AppendLine(Invariant, $"The sink parsed {totals.Spans} spans ({totals.DistinctSpans} distinct span ids, so {totals.Spans - totals.DistinctSpans} sent twice), {totals.LogRecords} log records and {totals.Metrics} metrics in {totals.Requests} export requests ({totals.Bytes / 1048576.0:F0} MiB); it rejected {totals.RejectedRequests}.");
        }

        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        md.Append(TargetsTable(results));
        return md.ToString();
    }

    /// <summary>Every target with its measured value, as a Markdown table.</summary>
    public static string TargetsTable(Results results)
    {
        var md = new StringBuilder();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets(results))
        {
            md.AppendLine(Invariant, $"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        }

        return md.ToString();
    }

    /// <summary>Replaces the generated targets section of docs/benchmarks/README.md (between its markers).</summary>
    public static void UpdateReadme(string readmePath, Results results)
    {
        const string Begin = "<!-- targets:begin (written by bench/run.sh) -->", End = "<!-- targets:end -->";
        var text = File.ReadAllText(readmePath);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"{readmePath} lacks the markers '{Begin}' and '{End}' around its targets table.");
        }

        var section = $"{Begin}\nFrom [results.md](results.md) ({results.Started:yyyy-MM-dd HH:mm} UTC; {results.Machine}):\n\n{TargetsTable(results)}";
        File.WriteAllText(readmePath, text[..start] + section + text[end..]);
    }

    private static IEnumerable<(string Target, string Measured, bool Met)> Targets(Results results)
    {
        foreach (var runtime in new[] { "JIT", "AOT" })
        {
            var off = results.Cost.FirstOrDefault(c => c.Variant == $"{runtime}: OTel off");
            var traced = results.Cost.FirstOrDefault(c => c.Variant == $"{runtime}: traced, gRPC");
            if (off is not null && traced is not null)
            {
                var cpu = traced.ServerCpuUsPerRequest / off.ServerCpuUsPerRequest;
                yield return ($"{runtime}: server CPU per request, traced ≤ 1.4 × off",
                    $"{cpu:F2}× ({traced.ServerCpuUsPerRequest:F1} vs {off.ServerCpuUsPerRequest:F1} µs); throughput {traced.RequestsPerSecond / off.RequestsPerSecond:F2}× of off; sink {traced.SinkCpuUsPerRequest:F1} µs per request", cpu <= 1.4);
                var p99 = traced.P99Ms / off.P99Ms;
                yield return ($"{runtime}: p99 traced ≤ 2 × p99 off", $"{p99:F2}× ({traced.P99Ms:F2} vs {off.P99Ms:F2} ms)", p99 <= 2);
            }
        }

        if (SigningCost(results) is { } signing)
        {
            yield return signing;
        }

        bool IsAot(string variant) => variant.Contains("AOT", StringComparison.Ordinal);
        var peak = results.Cost.Where(c => !IsAot(c.Variant)).Select(c => c.PeakRssMiB)
            .Concat(results.Delivery.Where(d => !IsAot(d.Scenario)).Select(d => d.PeakRssMiB)).DefaultIfEmpty(0).Max();
        if (peak > 0)
        {
            yield return ("JIT: peak RSS under load ≤ 100 MB", $"{peak:F0} MiB (largest of every JIT scenario)", peak * MiBInMB <= 100);
        }

        foreach (var (scenario, aotPeak) in results.Cost.Where(c => c.Variant == "AOT: traced, gRPC").Select(c => ($"wrk -c{Plan.WrkConnections}", c.PeakRssMiB))
            .Concat(results.Delivery.Where(d => IsAot(d.Scenario) && !IsOutagePhase(d)).Select(d => (d.Scenario, d.PeakRssMiB))))
        {
            yield return ($"AOT traced: peak RSS ≤ 64 MB ({scenario})", $"{aotPeak:F0} MiB ({aotPeak * MiBInMB:F0} MB)", aotPeak * MiBInMB <= 64);
        }

        foreach (var startup in results.Startup)
        {
            var isAot = IsAot(startup.Variant);
            yield return ($"{startup.Variant}: start-up to the first /health 200{(isAot ? " ≤ 100 ms" : "")}",
                $"median {startup.MedianMs:F0} ms of {startup.SamplesMs.Count} cold starts (min {startup.MinMs:F0}, max {startup.MaxMs:F0})", !isAot || startup.MedianMs <= 100);
        }

        foreach (var c in results.Cost.Where(c => c.SpansExpected > 0))
        {
            yield return ($"100% span delivery at maximum throughput (wrk): {c.Variant}", $"{Percent((double)c.SpansReceived / c.SpansExpected)} ({c.SpansReceived} of ≥ {c.SpansExpected})", c.SpansReceived >= c.SpansExpected);
        }

        // Outage, replacement and load runs are judged below.
        // The phases of an outage and the load runs have targets of their own below.
        static bool Special(DeliveryResult d) => IsOutagePhase(d) || d.Scenario.StartsWith("load:", StringComparison.Ordinal);
        foreach (var d in results.Delivery.Where(d => !Special(d)))
        {
            yield return ($"100% span delivery: {d.Scenario}", $"{Percent(d.Delivered)} ({d.SpansExpected - d.SpansReceived} missing)", d.SpansReceived >= d.SpansExpected);
        }

        var outagePeaks = new List<double>();
        foreach (var outage in results.Delivery.Where(d => d.Scenario.Contains(": during", StringComparison.Ordinal)))
        {
            var name = outage.Scenario[..outage.Scenario.IndexOf(':', StringComparison.Ordinal)];
            var before = results.Delivery.First(d => d.Scenario.StartsWith(name + ": before", StringComparison.Ordinal));
            var after = results.Delivery.First(d => d.Scenario.StartsWith(name + ": after", StringComparison.Ordinal));
            var failed = before.Load.Failed + outage.Load.Failed + after.Load.Failed;
            var lostSpans = outage.SpansExpected - outage.SpansReceived;
            var lostLogs = outage.LogRecordsExpected - outage.LogRecordsReceived;
            var arrived = $"{outage.SpansReceived} of {outage.SpansExpected} spans and {outage.LogRecordsReceived} of {outage.LogRecordsExpected} log records created during it; peak RSS during {outage.PeakRssMiB:F0} MiB";
            yield return ($"{name}: zero failed requests", $"{failed}", failed == 0);
            if (name != "replaced")
            {
                yield return ($"{name}: p99 during and after ≤ 2 × before", $"{outage.Load.P99Ms:F2} ms during, {after.Load.P99Ms:F2} ms after vs {before.Load.P99Ms:F2} ms before ({outage.Load.P99Ms / before.Load.P99Ms:F2}×, {after.Load.P99Ms / before.Load.P99Ms:F2}×)",
                    Math.Max(outage.Load.P99Ms, after.Load.P99Ms) <= 2 * before.Load.P99Ms);
            }

            yield return ($"{name}: everything created after the sink returns arrives", $"{after.SpansReceived} of {after.SpansExpected} spans, {after.LogRecordsReceived} of {after.LogRecordsExpected} log records", after.SpansReceived >= after.SpansExpected && after.LogRecordsReceived >= after.LogRecordsExpected);
            yield return name switch
            {
                "long outage" or Scenarios.AotLongOutage => ($"{name}: beyond the buffer's bound, drops are counted", $"{lostSpans} spans and {lostLogs} log records dropped (oldest first); {arrived}", true),
                "replaced" => ($"{name}: what the in-memory buffer keeps across a process replacement (stated, not a target)", $"{lostSpans} spans and {lostLogs} log records lost with the stopped process; {arrived}", true),
                _ => ($"{name}: 0 spans and 0 log records lost of those created during the outage", arrived, lostSpans <= 0 && lostLogs <= 0),
            };
            if (name is "outage" or "long outage")
            {
                outagePeaks.Add(outage.PeakRssMiB);
            }

            if (name == Scenarios.AotLongOutage)
            {
                // The AOT pod's limit must hold this peak: the buffer at its bounds in the smaller build.
                yield return ($"AOT: memory bounded in a longer outage: peak RSS within the AOT pod's {results.AotPodMemoryLimitMiB}Mi limit",
                    $"peak RSS {outage.PeakRssMiB:F0} MiB in the long outage", outage.PeakRssMiB <= results.AotPodMemoryLimitMiB);
            }
        }

        if (outagePeaks.Count == 2)
        {
            // Bounded: with the export buffer full for a minute, the process stays inside its pod's memory
            // limit. (The 30 s outage is no yardstick: it fits in the bound, so it holds less.)
            yield return ($"memory bounded in a longer outage: peak RSS within the JIT pod's {results.JitPodMemoryLimitMiB}Mi limit",
                $"peak RSS {outagePeaks[1]:F0} MiB in the long outage (buffer at its bound) vs {outagePeaks[0]:F0} MiB in the 30 s one",
                outagePeaks[1] <= results.JitPodMemoryLimitMiB);
        }

        foreach (var load in results.Delivery.Where(d => d.Scenario.StartsWith("load:", StringComparison.Ordinal)))
        {
            var target = load.Scenario.Contains("-c256", StringComparison.Ordinal);
            yield return (target ? $"≥ 99% span delivery, {load.Scenario}" : $"span delivery, {load.Scenario} (stated)",
                $"{Percent(load.Delivered)} ({Math.Max(0, load.SpansExpected - load.SpansReceived)} missing; wrk abandons up to one request per connection at its stop); log records {load.LogRecordsReceived} of {load.LogRecordsExpected}; p99 {load.Load.P99Ms:F2} ms; peak RSS {load.PeakRssMiB:F0} MiB",
                !target || load.Delivered >= 0.99);
        }

        if (results.SinkTotals is { } totals)
        {
            yield return ("no span arrives twice (distinct span ids at the sink)", $"{totals.Spans - totals.DistinctSpans} of {totals.Spans} spans were repeats", totals.Spans == totals.DistinctSpans);
        }
    }

    /// <summary>
    /// Export signed for AWS against export to a local receiver, both JIT over HTTP/protobuf: CPU and
    /// p99 are stated (the issue sets no target); what must hold is that every request the sink saw
    /// addressed to an AWS host name was signed, or the comparison would measure nothing.
    /// </summary>
    private static (string Target, string Measured, bool Met)? SigningCost(Results results)
    {
        var local = results.Cost.FirstOrDefault(c => c.Variant == $"JIT: {Variant.TracedHttpName}");
        var signed = results.Cost.FirstOrDefault(c => c.Variant == $"JIT: {Variant.TracedSignedForAwsName}");
        if (local is null || signed is null || results.SinkTotals is not { } totals)
        {
            return null;
        }

        return ("JIT: signed for AWS vs a local receiver, both HTTP/protobuf: every request signed (CPU and p99 stated, not targets)",
            $"server CPU per request {signed.ServerCpuUsPerRequest / local.ServerCpuUsPerRequest:F2}× ({signed.ServerCpuUsPerRequest:F1} vs {local.ServerCpuUsPerRequest:F1} µs); " +
            $"p99 {signed.P99Ms / local.P99Ms:F2}× ({signed.P99Ms:F2} vs {local.P99Ms:F2} ms); " +
            $"{totals.SignedAwsRequests} of {totals.AwsRequests} export requests to AWS host names signed",
            totals.AwsRequests > 0 && totals.SignedAwsRequests == totals.AwsRequests);
    }

    private static string Percent(double ratio) => double.IsNaN(ratio) ? "–" : (ratio * 100).ToString("F2", Invariant) + "%";

    /// <summary>Three bar charts side by side: throughput, server CPU per request and p99, one bar per variant.</summary>
    public static string Svg(Results results)
    {
        (string Title, Func<CostSummary, double> Value, string Format)[] panels =
        [
            ("throughput (k req/s)", c => c.RequestsPerSecond / 1000, "F1"),
            ("server CPU per request (µs)", c => c.ServerCpuUsPerRequest, "F1"),
            ("p99 latency (ms)", c => c.P99Ms, "F2"),
        ];
        string[] colours = ["#4e79a7", "#e15759", "#f28e2b", "#76b7b2", "#edc948", "#59a14f", "#b07aa1"];

        var svg = new StringBuilder();
        var width = PanelWidth * panels.Length;
        svg.AppendLine(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height + 30}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine(Invariant, $"<rect width=\"{width}\" height=\"{Height + 30}\" fill=\"white\"/>");
        for (var p = 0; p < panels.Length; p++)
        {
            var x0 = p * PanelWidth;
            var max = results.Cost.Select(panels[p].Value).DefaultIfEmpty(1).Max() * 1.15;
            var barWidth = (PanelWidth - 40 - BarGap * results.Cost.Count) / Math.Max(1, results.Cost.Count);
            svg.AppendLine(Invariant, $"<text x=\"{x0 + PanelWidth / 2}\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">{panels[p].Title}</text>");
            svg.AppendLine(Invariant, $"<line x1=\"{x0 + 20}\" y1=\"{Height - Bottom}\" x2=\"{x0 + PanelWidth - 20}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
            for (var i = 0; i < results.Cost.Count; i++)
            {
                var value = panels[p].Value(results.Cost[i]);
                var barHeight = (Height - Top - Bottom) * value / max;
                var x = x0 + 20 + BarGap / 2 + i * (barWidth + BarGap);
                var y = Height - Bottom - barHeight;
                svg.AppendLine(Invariant, $"<rect x=\"{x}\" y=\"{y:F1}\" width=\"{barWidth}\" height=\"{barHeight:F1}\" fill=\"{colours[i % colours.Length]}\"/>");
                svg.AppendLine(Invariant, $"<text x=\"{x + barWidth / 2}\" y=\"{y - 4:F1}\" text-anchor=\"middle\">{value.ToString(panels[p].Format, Invariant)}</text>");
            }
        }

        // The legend in rows of LegendColumns, so long variant names never overlap.
        for (var i = 0; i < results.Cost.Count; i++)
        {
            var x = 20 + (i % LegendColumns) * (width - 40) / LegendColumns;
            var y = Height - 30 + (i / LegendColumns) * 16;
            svg.AppendLine(Invariant, $"<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colours[i % colours.Length]}\"/>");
            svg.AppendLine(Invariant, $"<text x=\"{x + 16}\" y=\"{y + 10}\">{System.Security.SecurityElement.Escape(results.Cost[i].Variant)}</text>");
        }

        svg.AppendLine(Invariant, $"<text x=\"{width / 2}\" y=\"{Height + 22}\" text-anchor=\"middle\" fill=\"#555\">medians of {results.Plan.Rounds} interleaved wrk runs, {results.Started:yyyy-MM-dd}, shared 2-core machine</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>A phase of an outage scenario, e.g. <c>outage: during (sink down, 30 s)</c>: not steady load.</summary>
    private static bool IsOutagePhase(DeliveryResult d) =>
        d.Scenario.Contains(": before (", StringComparison.Ordinal) || d.Scenario.Contains(": during (", StringComparison.Ordinal)
        || d.Scenario.Contains(": after (", StringComparison.Ordinal);
}
