using System.Text.Json;
using AppHost.Eks;
using AppHost.Tests.Eks;

namespace AppHost.Tests.Collector;

/// <summary>The account scripts, run by <c>sh</c> against <see cref="FakeAwsCli"/> (a test double: no AWS here).</summary>
public sealed class AwsAccountScriptsTests : IDisposable
{
    private const string RoleName = "aspire-xray-adot-collector";
    private const string RoleFix = "eksctl create iamserviceaccount --config-file manifests/aws/cluster.yaml --approve";
    private const string PodIdentityFix = "eksctl create podidentityassociation --config-file manifests/aws/pod-identity.yaml";
    private const string DirectRoleName = "aspire-xray-sampleapi";
    private const string DirectRoleArn = "arn:aws:iam::123456789012:role/" + DirectRoleName;
    private const string DirectRoleFix = "eksctl create iamserviceaccount --config-file manifests/aws/direct-irsa.yaml --approve";
    private const string DirectPodIdentityFix = "eksctl create podidentityassociation --config-file manifests/aws/direct-pod-identity.yaml";

    private static readonly AwsScope Scope = new("123456789012", "us-west-2", AwsTelemetrySettings.Default);

    private readonly FakeAwsCli _aws = new();

    public void Dispose() => _aws.Dispose();

    /// <summary>The check for <paramref name="scope"/>, each route's role made as the EKS bundle makes it.</summary>
    private static string Check(AwsScope scope)
    {
        string Arn(string role) => $"arn:aws:iam::{scope.AccountId}:role/{role}";
        var collector = new CheckedRole(
            RoleName, Arn(RoleName), "collector", "manifests/aws/cluster.yaml", "manifests/aws/pod-identity.yaml",
            [.. AwsDocumentedActions.For(new CollectorConfig().WithAws(scope.Region, scope.Settings), scope)], "the collector's log");
        var direct = new CheckedRole(
            DirectRoleName, Arn(DirectRoleName), "sampleapi", "manifests/aws/direct-irsa.yaml", "manifests/aws/direct-pod-identity.yaml",
            [.. DirectRoute.DocumentedActions(scope)], "sampleapi's log");
        return AwsAccountScripts.Check(scope, "aspire-xray", "aspire-xray", collector, direct, "setup-account.sh", "# test\n");
    }

    /// <summary>The check.sh of the committed bundle, which users run (the drift tests keep it equal to the generator's).</summary>
    private static string CommittedCheck() =>
        File.ReadAllText(Path.Combine(Repository.Root, EksBundle.ManifestsFolder, EksBundle.AwsFolder, AwsAccountScripts.CheckFileName));

    /// <summary>The action and resource of each policy simulation <paramref name="aws"/> was asked for, in order.</summary>
    private static IEnumerable<string> Simulated(FakeAwsCli aws) =>
        aws.Calls.Where(call => call.StartsWith("iam simulate-principal-policy", StringComparison.Ordinal))
            .Select(call => call.Split(' ')).Select(words => $"{Value(words, "--action-names")} {Value(words, "--resource-arns")}");

    [Fact]
    public async Task Check_passes_and_says_so_when_everything_is_in_place()
    {
        var (exitCode, output) = await _aws.RunAsync(Check(Scope));

        Assert.True(exitCode == 0, output);
        var lines = output.TrimEnd().Split('\n');
        Assert.All(lines[..^1], line => Assert.StartsWith("ok ", line, StringComparison.Ordinal));
        Assert.Equal("Everything is in place.", lines[^1]);
    }

    [Fact]
    public async Task Check_simulates_the_actions_AWS_documents_for_each_endpoint_on_the_role()
    {
        await _aws.RunAsync(Check(Scope));

        const string Group = "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs";
        Assert.Equal(
            [
                "xray:PutSpans *", "xray:PutSpansForIndexing *", "xray:PutTraceSegments *",
                $"logs:PutLogEvents {Group}", $"logs:PutLogEvents {Group}:*",
                $"logs:DescribeLogGroups {Group}", $"logs:DescribeLogGroups {Group}:*",
                $"logs:DescribeLogStreams {Group}", $"logs:DescribeLogStreams {Group}:*",
                "cloudwatch:PutMetricData *",
            ],
            Simulated(_aws));
    }

    [Fact]
    public async Task Check_names_an_action_AWS_documents_that_the_role_is_denied()
    {
        _aws.State["FAKE_DENIED"] = "logs:DescribeLogStreams";

        var (exitCode, output) = await _aws.RunAsync(Check(Scope));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                $"MISSING  permission logs:DescribeLogStreams on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs for {RoleName} (simulation: implicitDeny)",
                $"MISSING  permission logs:DescribeLogStreams on arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:* for {RoleName} (simulation: implicitDeny)",
            ],
            output.Split('\n').Where(line => line.StartsWith("MISSING", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_names_each_missing_piece_and_fails()
    {
        _aws.State["FAKE_DESTINATION"] = "XRay\tACTIVE";
        _aws.State["FAKE_POLICY"] = "";
        _aws.State["FAKE_STREAMS"] = "/aspire-xray/other|otlp";
        _aws.State["FAKE_DENIED"] = "xray:PutSpans";

        var (exitCode, output) = await _aws.RunAsync(Check(Scope));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                "MISSING  Transaction Search: the trace segment destination is 'XRay ACTIVE', not 'CloudWatchLogs ACTIVE'",
                "MISSING  a CloudWatch Logs resource policy that lets X-Ray write to aws/spans",
                "MISSING  log stream otlp in log group /aspire-xray/logs",
                $"MISSING  permission xray:PutSpans on * for {RoleName} (simulation: implicitDeny)",
            ],
            output.Split('\n').Where(line => line.StartsWith("MISSING", StringComparison.Ordinal)));
        Assert.Contains("4 missing.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_names_an_absent_role_and_data_that_has_not_arrived()
    {
        _aws.State["FAKE_ROLE"] = "0";
        _aws.State["FAKE_DATA"] = "0";

        var (exitCode, output) = await _aws.RunAsync(Check(Scope));

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISSING  IAM role {RoleName}\n         fix: {RoleFix}", output, StringComparison.Ordinal);
        Assert.Contains("MISSING  no span of GET /sample in aws/spans", output, StringComparison.Ordinal);
        Assert.Contains("MISSING  no 'sample3 done.' log line in /aspire-xray/logs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_for_emf_metrics_looks_for_the_metrics_stream_and_the_emf_metric()
    {
        _aws.State["FAKE_STREAMS"] = "/aspire-xray/logs|otlp";
        _aws.State["FAKE_DATA"] = "0";
        var scope = Scope with { Settings = AwsTelemetrySettings.Default with { MetricsExport = MetricsExport.Emf } };

        var (exitCode, output) = await _aws.RunAsync(Check(scope));

        Assert.Equal(1, exitCode);
        Assert.Contains("MISSING  log stream emf in log group /aspire-xray/metrics", output, StringComparison.Ordinal);
        Assert.Contains("MISSING  no metric http.server.request.duration in namespace AspireXRay", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_for_otlp_metrics_wants_no_metrics_log_group()
    {
        _aws.State["FAKE_STREAMS"] = "/aspire-xray/logs|otlp";

        var (exitCode, output) = await _aws.RunAsync(Check(Scope));

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain(_aws.Calls, call => call.Contains("/aspire-xray/metrics", StringComparison.Ordinal) || call.StartsWith("cloudwatch list-metrics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_pod_identity_checks_the_role_of_the_collectors_association()
    {
        var (exitCode, output) = await _aws.RunAsync(Check(Scope), "pod-identity");

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok       Pod Identity association for aspire-xray/collector", output, StringComparison.Ordinal);
        Assert.Contains("iam get-role --role-name pod-identity-role", _aws.Calls);
        Assert.Contains(_aws.Calls, call => call.Contains("--policy-source-arn arn:aws:iam::123456789012:role/pod-identity-role", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_pod_identity_names_a_missing_association()
    {
        _aws.State["FAKE_ASSOCIATION_ROLE"] = "None";

        var (exitCode, output) = await _aws.RunAsync(Check(Scope), "pod-identity");

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISSING  a Pod Identity association for aspire-xray/collector\n         fix: {PodIdentityFix}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_direct_checks_sampleapis_role_for_what_its_endpoints_need()
    {
        var (exitCode, output) = await _aws.RunAsync(CommittedCheck(), AwsAccountScripts.DirectArgument);

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok       IAM role " + DirectRoleName, output, StringComparison.Ordinal);
        Assert.Contains($"iam get-role --role-name {DirectRoleName}", _aws.Calls);
        Assert.All(
            _aws.Calls.Where(call => call.StartsWith("iam simulate-principal-policy", StringComparison.Ordinal)),
            call => Assert.Contains($"--policy-source-arn {DirectRoleArn} ", call, StringComparison.Ordinal));
        Assert.Equal(Grants(DirectRoute.DocumentedActions(Bundle.Settings.Scope)), Simulated(_aws).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_aws.Calls, call => call.StartsWith("eks ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_direct_names_a_missing_sampleapi_role_with_the_direct_eksctl_file_and_sampleapis_log()
    {
        _aws.State["FAKE_ROLE"] = "0";
        _aws.State["FAKE_DENIED"] = "xray:PutSpans";
        _aws.State["FAKE_DATA"] = "0";

        var (exitCode, output) = await _aws.RunAsync(CommittedCheck(), AwsAccountScripts.DirectArgument);

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISSING  IAM role {DirectRoleName}\n         fix: {DirectRoleFix}", output, StringComparison.Ordinal);
        Assert.Contains($"MISSING  permission xray:PutSpans on * for {DirectRoleName} (simulation: implicitDeny)\n         fix: {DirectRoleFix}", output, StringComparison.Ordinal);
        Assert.Contains("look for export errors in sampleapi's log: kubectl -n aspire-xray logs deployment/sampleapi\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("collector", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_direct_pod_identity_checks_the_role_of_sampleapis_association()
    {
        var (exitCode, output) = await _aws.RunAsync(CommittedCheck(), AwsAccountScripts.DirectPodIdentityArgument);

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok       Pod Identity association for aspire-xray/sampleapi", output, StringComparison.Ordinal);
        Assert.Contains(_aws.Calls, call => call.StartsWith("eks list-pod-identity-associations", StringComparison.Ordinal) && call.Contains(" --service-account sampleapi ", StringComparison.Ordinal));
        Assert.Contains("iam get-role --role-name pod-identity-role", _aws.Calls);
        Assert.Contains(_aws.Calls, call => call.Contains("--policy-source-arn arn:aws:iam::123456789012:role/pod-identity-role", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_direct_pod_identity_names_a_missing_association_with_the_direct_eksctl_file()
    {
        _aws.State["FAKE_ASSOCIATION_ROLE"] = "None";

        var (exitCode, output) = await _aws.RunAsync(CommittedCheck(), AwsAccountScripts.DirectPodIdentityArgument);

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISSING  a Pod Identity association for aspire-xray/sampleapi\n         fix: {DirectPodIdentityFix}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_for_the_collector_still_names_the_collectors_role_and_log_in_the_committed_script()
    {
        _aws.State["FAKE_ROLE"] = "0";
        _aws.State["FAKE_DATA"] = "0";

        var (exitCode, output) = await _aws.RunAsync(CommittedCheck());

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISSING  IAM role {Bundle.Settings.CollectorRoleName}\n         fix: {RoleFix}", output, StringComparison.Ordinal);
        Assert.Contains("look for export errors in the collector's log\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("irsa")]
    [InlineData("Direct")]
    [InlineData("--help")]
    public async Task Check_refuses_an_unknown_argument_with_its_usage_before_asking_aws_anything(string argument)
    {
        var (exitCode, output) = await _aws.RunAsync(CommittedCheck(), argument);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"unknown argument: {argument}\nusage: sh ", output, StringComparison.Ordinal);
        Assert.Contains("[pod-identity | direct | direct-pod-identity]", output, StringComparison.Ordinal);
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Check_simulates_for_each_route_its_own_roles_actions_where_they_differ()
    {
        // With the awsxray exporter the collector's role needs PutTraceSegments alone; the direct route still sends to the OTLP endpoint.
        var scope = Scope with { Settings = AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay } };
        var script = Check(scope);
        using var directAws = new FakeAwsCli();

        await _aws.RunAsync(script);
        await directAws.RunAsync(script, AwsAccountScripts.DirectArgument);

        var collector = Simulated(_aws).ToList();
        var direct = Simulated(directAws).ToList();
        Assert.Equal(Grants(AwsDocumentedActions.For(new CollectorConfig().WithAws(scope.Region, scope.Settings), scope)), collector.Order(StringComparer.Ordinal));
        Assert.Equal(Grants(DirectRoute.DocumentedActions(scope)), direct.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("xray:PutSpans *", collector);
        Assert.Contains("xray:PutSpans *", direct);
    }

    [Fact]
    public async Task Check_stops_at_once_without_credentials()
    {
        _aws.State["FAKE_ACCOUNT"] = "";
        var script = Check(Scope).Replace("aws sts get-caller-identity --query Account --output text 2>/dev/null)", "false)", StringComparison.Ordinal);

        var (exitCode, output) = await _aws.RunAsync(script);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("MISSING  AWS credentials", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_for_the_awsxray_route_looks_for_traces_in_xray_instead_of_transaction_search()
    {
        var scope = Scope with { Settings = AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay } };

        var (exitCode, output) = await _aws.RunAsync(Check(scope));

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain(_aws.Calls, call => call.StartsWith("xray get-trace-segment-destination", StringComparison.Ordinal));
        Assert.Contains(_aws.Calls, call => call.StartsWith("xray get-trace-summaries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_turns_on_transaction_search_and_creates_only_what_is_missing()
    {
        _aws.State["FAKE_DESTINATION"] = "XRay\tACTIVE";
        _aws.State["FAKE_STREAMS"] = "";

        var (exitCode, output) = await _aws.RunAsync(AwsAccountScripts.Setup(Scope, "# test\n"));

        Assert.True(exitCode == 0, output);
        Assert.Equal(
            [
                "logs put-resource-policy",
                "xray update-trace-segment-destination",
                "logs create-log-group --region us-west-2 --log-group-name /aspire-xray/logs",
                "logs create-log-stream --region us-west-2 --log-group-name /aspire-xray/logs --log-stream-name otlp",
            ],
            _aws.Calls.Where(call => !call.Contains("describe", StringComparison.Ordinal) && !call.StartsWith("xray get-", StringComparison.Ordinal))
                .Select(call => call.StartsWith("logs create", StringComparison.Ordinal) ? call : string.Join(' ', call.Split(' ')[..2])));
        Assert.Contains("--destination CloudWatchLogs", _aws.Calls.Single(call => call.StartsWith("xray update", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_run_again_on_a_ready_account_succeeds_and_changes_nothing_but_the_policy_it_puts_again()
    {
        // FakeAwsCli's defaults: Transaction Search on, the log group and stream there. Its update call would fail.
        var (exitCode, output) = await _aws.RunAsync(AwsAccountScripts.Setup(Scope, "# test\n"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("Transaction Search is already on (destination CloudWatchLogs)", output, StringComparison.Ordinal);
        Assert.Equal(
            ["logs put-resource-policy"],
            _aws.Calls.Where(call => !call.Contains("describe", StringComparison.Ordinal) && !call.StartsWith("xray get-", StringComparison.Ordinal))
                .Select(call => string.Join(' ', call.Split(' ')[..2])));
    }

    [Fact]
    public async Task The_fake_answers_an_update_to_the_destination_already_set_with_an_error_as_the_test_assumes()
    {
        var (exitCode, output) = await _aws.RunAsync("aws xray update-trace-segment-destination --region us-west-2 --destination CloudWatchLogs\n");

        Assert.Equal(254, exitCode);
        Assert.Contains("InvalidRequestException", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_for_emf_metrics_also_creates_the_metrics_log_group_and_stream()
    {
        _aws.State["FAKE_STREAMS"] = "/aspire-xray/logs|otlp";

        await _aws.RunAsync(AwsAccountScripts.Setup(Scope with { Settings = AwsTelemetrySettings.Default with { MetricsExport = MetricsExport.Emf } }, "# test\n"));

        Assert.Equal(
            [
                "logs create-log-group --region us-west-2 --log-group-name /aspire-xray/metrics",
                "logs create-log-stream --region us-west-2 --log-group-name /aspire-xray/metrics --log-stream-name emf",
            ],
            _aws.Calls.Where(call => call.StartsWith("logs create", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Setup_gives_xray_put_log_events_on_the_two_transaction_search_log_groups_of_this_account_only()
    {
        await _aws.RunAsync(AwsAccountScripts.Setup(Scope, "# test\n"));

        using var policy = JsonDocument.Parse(_aws.PutPolicy!);
        var statement = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("xray.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("logs:PutLogEvents", statement.GetProperty("Action").GetString());
        Assert.Equal(
            ["arn:aws:logs:us-west-2:123456789012:log-group:aws/spans:*", "arn:aws:logs:us-west-2:123456789012:log-group:/aws/application-signals/data:*"],
            statement.GetProperty("Resource").EnumerateArray().Select(resource => resource.GetString()));
        Assert.Equal("123456789012", statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount").GetString());
        Assert.Equal("arn:aws:xray:us-west-2:123456789012:*", statement.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:SourceArn").GetString());
    }

    [Fact]
    public async Task Setup_for_the_awsxray_route_leaves_transaction_search_alone()
    {
        await _aws.RunAsync(AwsAccountScripts.Setup(Scope with { Settings = AwsTelemetrySettings.Default with { TraceExport = TraceExport.XRay } }, "# test\n"));

        Assert.DoesNotContain(_aws.Calls, call => call.StartsWith("xray", StringComparison.Ordinal) || call.StartsWith("logs put-resource-policy", StringComparison.Ordinal));
    }

    /// <summary>Each distinct grant as "action resource", sorted.</summary>
    private static IEnumerable<string> Grants(IEnumerable<IamGrant> grants) =>
        grants.Select(grant => $"{grant.Action} {grant.Resource}").Distinct().Order(StringComparer.Ordinal);

    private static string Value(string[] words, string option) => words[Array.IndexOf(words, option) + 1];
}
