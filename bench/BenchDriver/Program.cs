using System.Text.Json;
using BenchDriver;

// Runs every benchmark scenario against the Release builds of SampleApi (JIT and Native AOT) and
// bench/OtlpSink, then writes results.md, results.svg and results.json. Started by bench/run.sh,
// which builds and publishes first.
// Usage: BenchDriver --repo DIR [--quick] [--out DIR] [--only cost,delivery,replacement,load,sigterm,startup] [--server-env KEY=VALUE ...]
//        BenchDriver --repo DIR [--out DIR] --render   (writes the reports again from that folder's results.json)
var options = Options.Parse(args);
if (options.Render)
{
    var recorded = JsonSerializer.Deserialize<Results>(await File.ReadAllTextAsync(Path.Combine(options.Out, "results.json")))!;
    await WriteReportsAsync(recorded);
    return;
}

var plan = new Plan(options.Quick);
var started = DateTimeOffset.UtcNow;
var (jitLimitMiB, aotLimitMiB) = (PodMemoryLimit.LimitMiB(Runtime.Jit), PodMemoryLimit.LimitMiB(Runtime.Aot));
var machine = $"{Environment.ProcessorCount} cores, shared with other jobs during the run (load average at start: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}); "
    + $"every SampleApi process with the GC heap limit of its pod's memory limit (JIT {jitLimitMiB}Mi, AOT {aotLimitMiB}Mi); "
    + (options.ServerEnvironment.Count == 0 ? "no extra SampleApi settings." : "extra SampleApi settings: " + string.Join(", ", options.ServerEnvironment.Select(kv => $"`{kv.Key}={kv.Value}`")) + ".");

string Build(string project, string dll) => Path.Combine(options.Repo, project, "bin", "Release", "net10.0", dll);
using var sink = await Sink.StartAsync(Build("bench/OtlpSink", "OtlpSink.dll"));
var published = Path.Combine(options.Repo, "SampleApi", "bin", "Release", "net10.0", "linux-x64");
var builds = new ApiBuilds(
    Path.Combine(published, "publish-jit", "SampleApi.dll"), Path.Combine(published, "publish", "SampleApi"));
var scenarios = new Scenarios(plan, sink, builds, options.ServerEnvironment);

if (options.Runs("cost"))
{
    await scenarios.CostAsync();
}

if (options.Runs("delivery"))
{
    await scenarios.DeliveryAndOutageAsync();
}

if (options.Runs("replacement"))
{
    await scenarios.ReplacementDuringOutageAsync();
}

if (options.Runs("load"))
{
    await scenarios.LoadAsync();
}

if (options.Runs("sigterm"))
{
    await scenarios.SigtermAsync();
}

if (options.Runs("startup"))
{
    await scenarios.StartupAsync();
}

var results = new Results(started, plan.Quick ? "quick" : "full", machine, jitLimitMiB, aotLimitMiB, plan,
    scenarios.CostSamples, scenarios.Cost, scenarios.Delivery, scenarios.FixedRate, await sink.CountsAsync(), scenarios.SigtermExit, scenarios.Startup);
Directory.CreateDirectory(options.Out);
await File.WriteAllTextAsync(Path.Combine(options.Out, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
await WriteReportsAsync(results);

Console.WriteLine(Report.Markdown(results));
Scenarios.Log($"wrote {options.Out}/results.md, results.svg, results.json");

// The reports are derived from the results alone, so --render can write them again from results.json.
async Task WriteReportsAsync(Results results)
{
    await File.WriteAllTextAsync(Path.Combine(options.Out, "results.md"), Report.Markdown(results));
    await File.WriteAllTextAsync(Path.Combine(options.Out, "results.svg"), Report.Svg(results));
    if (options.Out == Path.Combine(options.Repo, "docs", "benchmarks"))
    {
        Report.UpdateReadme(Path.Combine(options.Out, "README.md"), results);
    }
}

/// <summary>Command-line options.</summary>
internal sealed record Options(string Repo, bool Quick, string Out, HashSet<string>? Only, Dictionary<string, string> ServerEnvironment, bool Render)
{
    public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

    public static Options Parse(string[] args)
    {
        string? repo = null, output = null;
        bool quick = false, render = false;
        HashSet<string>? only = null;
        var environment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repo":
                    repo = Value(args, ++i, "--repo");
                    break;
                case "--out":
                    output = Value(args, ++i, "--out");
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--render":
                    render = true;
                    break;
                case "--only":
                    only = [.. Value(args, ++i, "--only").Split(',')];
                    break;
                case "--server-env":
                    var pair = Value(args, ++i, "--server-env").Split('=', 2);
                    if (pair.Length != 2)
                    {
                        throw new ArgumentException("--server-env takes KEY=VALUE.");
                    }

                    environment[pair[0]] = pair[1];
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. Usage: --repo DIR [--quick] [--out DIR] [--only cost,delivery,replacement,load,sigterm,startup] [--server-env KEY=VALUE] [--render]");
            }
        }

        if (repo is null)
        {
            throw new ArgumentException("--repo DIR (the repository root) is required.");
        }

        output ??= Path.Combine(repo, quick ? "bench/out" : "docs/benchmarks");
        return new Options(Path.GetFullPath(repo), quick, Path.GetFullPath(output), only, environment, render);
    }

    private static string Value(string[] args, int index, string option) =>
        index < args.Length ? args[index] : throw new ArgumentException($"{option} needs a value.");
}
