using Aspire.Hosting.Testing;
using TestSupport;

namespace EndToEnd.Tests.Docs;

/// <summary>
/// The commands in README.md and docs/ cannot rot: each curl runs against the started AppHost and
/// must print what the page shows under it; every other command must be one the tests or .ci/run
/// exercise (the list below says where), so a new command fails here until it is covered.
/// </summary>
[Collection(SharedAppHost.Name)]
public class DocCommandsTests(AutoModeWithoutRuntime fixture)
{
    // The SampleApi address the docs use: the http launch profile's fixed port.
    private const string DocumentedApiUrl = "http://localhost:5080";

    /// <summary>Commands not run literally here, and where each is exercised instead.</summary>
    private static readonly Dictionary<string, string> CoveredElsewhere = new()
    {
        ["dotnet run --project AppHost"] = "every EndToEnd fixture starts this AppHost's Program through Aspire.Hosting.Testing",
        ["dotnet run --project AppHost -- --Collector:Mode=off"] = "the CollectorOff fixture passes --Collector:Mode=off",
        ["Collector__Mode=container dotnet run --project AppHost"] = "CollectorModeTests: container mode adds the collector",
        ["dotnet user-secrets set AWS:Region eu-west-2 --project AppHost"] = "AwsConfigTests read AWS:Region (the secrets store itself is left alone)",
        ["dotnet user-secrets set AWS:Profile my-profile --project AppHost"] = "AwsConfigTests read AWS:Profile (the secrets store itself is left alone)",
        ["aws logs create-log-group --region eu-west-2 --log-group-name /aspire-xray/logs"] =
            "not run here (no AWS account); AwsAccountScriptsTests check setup-account.sh's same call against the fake aws CLI",
        ["aws logs create-log-stream --region eu-west-2 --log-group-name /aspire-xray/logs --log-stream-name otlp"] =
            "not run here (no AWS account); AwsAccountScriptsTests check setup-account.sh's same call against the fake aws CLI",
        ["dotnet test Aspire.sln"] = ".ci/run runs exactly this",
        ["dotnet tool restore"] = "AspireRunTests runs this in a fresh clone before the CLI",
        ["dotnet aspire run"] =
            "AspireRunTests runs this in a fresh clone (non-interactive, random ports, isolated user secrets) and reads its dashboard link",
        ["dotnet aspire resource sampleapi call-sample"] = "AspireRunTests runs this against its aspire run and checks the trace it names",
        ["dotnet aspire stop"] = "AspireRunTests stops its aspire run with this and checks that no process is left",
        ["dotnet aspire do eks-manifests -o manifests"] =
            "AspireRunTests runs this in a fresh clone and checks that git status stays clean (the bundle as committed)",
        ["dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests"] =
            "EksBundleDriftTests run this step and compare its output with the committed manifests/",
        ["kubectl apply -k manifests/eks"] =
            "not applied here (no cluster); EksOverlayTests render the same overlay with kubectl kustomize",
        ["apt-get install chromium clang python3-botocore"] =
            ".ci/run installs them the same way when /usr/bin/chromium, clang or /usr/bin/python3's botocore is missing",
        ["UPDATE_DOCS_IMAGES=1 dotnet test tests/EndToEnd.Tests --filter FullyQualifiedName~DashboardUiTests"] =
            "the same DashboardUiTests run in every dotnet test, writing the pictures to TestResults/browser",
        // Benchmarks take minutes of both cores, so no test runs them; .ci/run builds their projects.
        ["bench/run.sh"] = "not run by the tests: bench/ is built by .ci/run, results are in docs/benchmarks/",
        ["bench/run.sh --quick"] = "not run by the tests: bench/ is built by .ci/run, results are in docs/benchmarks/",
    };

    public static TheoryData<string> Curls() =>
        [.. DocCommand.All.Where(IsCurl).Select(command => command.ToString())];

    [Fact]
    public void Every_command_in_the_docs_is_run_here_or_covered_by_a_named_test()
    {
        var uncovered = DocCommand.All.Where(command => !IsCurl(command) && !CoveredElsewhere.ContainsKey(command.Command));

        Assert.Empty(uncovered.Select(command => command.ToString()));
        Assert.Contains(DocCommand.All, IsCurl);
    }

    [Fact]
    public void Every_command_listed_as_covered_is_still_in_the_docs()
    {
        Assert.Empty(CoveredElsewhere.Keys.Except(DocCommand.All.Select(command => command.Command)));
    }

    [Theory]
    [MemberData(nameof(Curls))]
    public async Task Curl_in_the_docs_answers_and_prints_what_the_page_shows(string where)
    {
        var command = DocCommand.All.First(command => command.ToString() == where);
        var api = fixture.App.GetEndpoint(AppHostFixture.SampleApi, "http").GetLeftPart(UriPartial.Authority);
        // Fail on an HTTP error and stay quiet about progress; the documented arguments follow unchanged.
        var script = "curl --fail-with-body --silent --show-error --max-time 30" +
            command.Command["curl".Length..].Replace(DocumentedApiUrl, api, StringComparison.Ordinal);

        var (exitCode, output) = await RunAsync(script);

        Assert.True(exitCode == 0, $"'{script}' exited with {exitCode}: {output}");
        Assert.Contains("\"traceId\"", output, StringComparison.Ordinal);
        Assert.All(command.ShownOutput, shown => Assert.Contains(shown, output, StringComparison.Ordinal));
    }

    private static bool IsCurl(DocCommand command) => command.Command.StartsWith("curl ", StringComparison.Ordinal);

    private static Task<(int ExitCode, string Output)> RunAsync(string script) =>
        ChildProcess.RunAsync("/bin/sh", ["-c", script], Environment.CurrentDirectory, new Dictionary<string, string?>());
}
