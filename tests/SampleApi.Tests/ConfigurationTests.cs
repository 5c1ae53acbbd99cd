using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace SampleApi.Tests;

public class ConfigurationTests
{
    [Fact]
    public async Task Configured_delays_are_honoured_and_scaled_per_request()
    {
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["Sample:Sample1Delay"] = "00:00:00.100",
                ["Sample:Sample2Delay"] = "00:00:00.200",
                ["Sample:Sample3Delay"] = "00:00:00.300",
            },
        };

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0.5"))!;

        Assert.Equal([50d, 100d, 150d], body.Steps.Select(step => step.DelayMs));
        // Each step's span covers its own delay plus the steps it calls. Timers may fire a little
        // before the monotonic clock agrees (249.7 ms was seen for 250), hence the slack.
        const double TimerSlackMs = 5;
        Assert.InRange(body.Steps[0].DurationMs, 300 - TimerSlackMs, double.MaxValue);
        Assert.InRange(body.Steps[1].DurationMs, 250 - TimerSlackMs, double.MaxValue);
        Assert.InRange(body.Steps[2].DurationMs, 150 - TimerSlackMs, double.MaxValue);
    }

    /// <summary>
    /// As its own process: in memory, the host that fails to start is disposed by the app's thread
    /// while WebApplicationFactory still resolves its lifetime, which then throws ObjectDisposedException
    /// instead of the start's error (about one run in sixty).
    /// </summary>
    [Fact]
    public async Task Negative_delay_fails_at_startup_naming_the_setting()
    {
        using var api = ApiProcess.Start(ApiProcess.JitLauncher, new Dictionary<string, string>
        {
            ["Sample__Sample2Delay"] = "-00:00:01",
        });

        await api.WaitForExitAsync();

        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Sample2Delay", api.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Health_endpoints_answer_with_status_only(string environment)
    {
        using var factory = new SampleApiFactory { Environment = environment };
        var client = factory.CreateClient();

        foreach (var path in new[] { "/health", "/alive" })
        {
            var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }
}

/// <summary>
/// Samplers vote per ActivitySource listener across the whole process, so these run alone:
/// another host's always-on provider would otherwise record the spans they expect dropped.
/// </summary>
[Collection(nameof(SamplerTests))]
[CollectionDefinition(nameof(SamplerTests), DisableParallelization = true)]
public class SamplerTests
{
    [Theory]
    [InlineData("always_off", null)]
    [InlineData("traceidratio", "0")]
    [InlineData("parentbased_always_off", null)]
    public async Task Sampler_settings_are_honoured(string sampler, string? argument)
    {
        await WaitUntilNoOtherHostListensAsync();
        using var factory = new SampleApiFactory
        {
            Settings =
            {
                ["OTEL_TRACES_SAMPLER"] = sampler,
                ["OTEL_TRACES_SAMPLER_ARG"] = argument,
            },
        };

        var response = await factory.CreateClient().GetAsync("/sample?delayScale=0");

        // The step spans end inside the handler, before the response is written, and the factory's
        // exporter takes each as it ends: had one been sampled, it would be here already.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(factory.Spans, span => span.Source.Name == "SampleApi" && span.Recorded);
    }

    /// <summary>
    /// Another test host's tracer provider, still shutting down, would record these spans too:
    /// start only once the API's source has no listener left (or fail saying why).
    /// </summary>
    private static async Task WaitUntilNoOtherHostListensAsync()
    {
        using var probe = new ActivitySource("SampleApi");
        for (var attempt = 0; attempt < 100 && probe.HasListeners(); attempt++)
        {
            await Task.Delay(100);
        }

        Assert.False(probe.HasListeners(), "Another test host still listens to the SampleApi source.");
    }

    [Fact]
    public async Task Default_sampler_records_every_root_trace()
    {
        using var factory = new SampleApiFactory();

        var body = (await factory.CreateClient().GetFromJsonAsync<SampleBody>("/sample?delayScale=0"))!;

        Assert.Equal(4, (await factory.WaitForSpansAsync(body.TraceId, 4)).Count);
    }
}
