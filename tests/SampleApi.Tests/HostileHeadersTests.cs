using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace SampleApi.Tests;

public class HostileHeadersTests : IClassFixture<SampleApiFactory>
{
    private const int Seed = 20261125;
    private const int Requests = 4_000;
    private const int MinimumHeaders = 10_000;
    private const int Concurrency = 4;
    private const string NoDelay = "/sample?delayScale=0";

    private readonly SampleApiFactory _factory;

    public HostileHeadersTests(SampleApiFactory factory) => _factory = factory;

    [Fact]
    public async Task Random_trace_headers_never_fail_a_request_and_valid_ones_are_continued()
    {
        var fuzzer = new HeaderFuzzer(Seed);
        var cases = Enumerable.Range(0, Requests).Select(_ => fuzzer.Next()).ToArray();
        var client = _factory.CreateClient();
        var failures = new ConcurrentQueue<string>();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (fuzzed, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, NoDelay);
            foreach (var (name, value) in fuzzed.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    failures.Enqueue($"could not send {name}: {Truncate(value)}");
                }
            }

            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failures.Enqueue($"{(int)response.StatusCode} for {Describe(fuzzed)}");
                return;
            }

            var body = (await response.Content.ReadFromJsonAsync<SampleBody>(cancellationToken))!;
            var header = response.Headers.GetValues("X-Amzn-Trace-Id").Single();
            if ((fuzzed.ExpectedTraceId is { } expected && body.TraceId != expected)
                || header != $"Root={body.XrayTraceId}")
            {
                failures.Enqueue($"trace {body.TraceId} / {header} for {Describe(fuzzed)}");
            }
        });

        Assert.InRange(cases.Sum(fuzzed => fuzzed.Headers.Count), MinimumHeaders, int.MaxValue);
        Assert.InRange(cases.Count(fuzzed => fuzzed.ExpectedTraceId is null), Requests / 10, Requests * 9 / 10);
        Assert.Empty(failures);
        Assert.Empty(_factory.Logs.Where(log => log.Level >= LogLevel.Error).Select(log => $"{log.Category}: {log.Message}"));
    }

    private static string Describe(FuzzedRequest fuzzed) =>
        string.Join(" | ", fuzzed.Headers.Select(header => $"{header.Name}: {Truncate(header.Value)}"));

    private static string Truncate(string value) => value.Length <= 120 ? value : $"{value[..120]}… ({value.Length} chars)";
}
