using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace BenchDriver;

/// <summary>Runs wrk (closed loop, fixed connections, fixed duration) and reads its summary.</summary>
internal static partial class Wrk
{
    /// <summary>
    /// Runs wrk. With a <paramref name="phase"/>, every request carries a <c>traceparent</c> whose
    /// trace id starts with that byte (1000 ids per thread, made once, so Lua costs little per request),
    /// which lets the sink count this run's spans apart from every other run's.
    /// </summary>
    public static async Task<WrkResult> RunAsync(Uri uri, int threads, int connections, TimeSpan duration, int? phase = null)
    {
        var script = phase is { } marked ? await WriteTraceParentScriptAsync(marked) : null;
        try
        {
            var arguments = new List<string> { $"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency" };
            if (script is not null)
            {
                arguments.AddRange(["-s", script]);
            }

            arguments.Add(uri.ToString());
            var result = await Cli.Wrap("wrk").WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            return result.ExitCode == 0 ? Parse(result.StandardOutput) : throw new InvalidOperationException($"wrk failed:\n{result.StandardOutput}{result.StandardError}");
        }
        finally
        {
            if (script is not null)
            {
                File.Delete(script);
            }
        }
    }

    private static async Task<string> WriteTraceParentScriptAsync(int phase)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(path, $$"""
            local ids, n = {}, 0
            function init(args)
              math.randomseed(os.time() + math.floor(os.clock() * 1000000))
              for i = 1, 1000 do
                local b = {}
                for j = 1, 23 do b[j] = string.format("%02x", math.random(0, 255)) end
                ids[i] = "00-{{Phase.Key(phase)}}" .. table.concat(b, "", 1, 15) .. "-" .. table.concat(b, "", 16, 23) .. "-01"
              end
            end
            function request()
              n = n % 1000 + 1
              return wrk.format(nil, nil, { ["traceparent"] = ids[n] })
            end
            """);
        return path;
    }

    internal static WrkResult Parse(string output)
    {
        var requests = long.Parse(RequestsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccessLine().Match(output) is { Success: true } nonSuccess
            ? long.Parse(nonSuccess.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        foreach (Match socket in SocketErrorsLine().Matches(output))
        {
            errors += socket.Groups.Values.Skip(1).Sum(group => long.Parse(group.Value, CultureInfo.InvariantCulture));
        }

        return new WrkResult(
            requests,
            double.Parse(RequestsPerSecondLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            LatencyMs(output, "50%"),
            LatencyMs(output, "99%"),
            errors);
    }

    private static double LatencyMs(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            _ => value * 1000,
        };
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}

/// <summary>wrk's summary: completed requests, throughput, latency percentiles, failures.</summary>
internal sealed record WrkResult(long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 50);

    /// <summary>Nearest-rank percentile; NaN for no values.</summary>
    public static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
