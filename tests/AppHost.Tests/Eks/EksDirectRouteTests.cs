using System.Text.Json.Nodes;
using AppHost.Eks;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AppHost.Tests.Eks;

/// <summary>
/// The direct route (<c>eks-direct</c>, <c>eks-direct-pod-identity</c>): no collector, SampleApi sends to AWS's OTLP
/// endpoints itself, as its own service account with exactly the policy of those endpoints. Read from the committed
/// overlays as kubectl's kustomize renders them, and from the committed eksctl files.
/// </summary>
public class EksDirectRouteTests
{
    public static TheoryData<string> DirectOverlays => [.. Bundle.DirectOverlays];

    [Theory]
    [MemberData(nameof(DirectOverlays))]
    public void Direct_route_renders_sampleapi_alone_with_its_own_service_account_and_no_collector(string overlay)
    {
        var objects = Kustomize.Objects(overlay);

        Assert.Equal(
            ["V1ConfigMap", "V1Deployment", "V1Namespace", "V1PodDisruptionBudget", "V1Service", "V1ServiceAccount"],
            objects.Select(item => item.GetType().Name).Order(StringComparer.Ordinal));
        Assert.Equal([Bundle.SampleApi], objects.OfType<V1Deployment>().Select(deployment => deployment.Metadata.Name));
        Assert.Equal(Bundle.SampleApi, objects.Single<V1ServiceAccount>(Bundle.SampleApi).Metadata.Name);
        Assert.Equal(Bundle.SampleApi, objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Spec.ServiceAccountName);
        Assert.All(objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Where(item => item is not V1Namespace),
            item => Assert.Equal(Bundle.Settings.Namespace, item.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(DirectOverlays))]
    public void On_the_direct_route_sampleapi_sends_each_signal_over_http_to_its_aws_endpoint_and_names_no_collector(string overlay)
    {
        var environment = Kustomize.Objects(overlay).Single<V1ConfigMap>("sampleapi-env").Data;

        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", environment.Keys);
        Assert.DoesNotContain(environment.Values, value => value.Contains(Bundle.Collector, StringComparison.Ordinal));
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("https://xray.us-west-2.amazonaws.com/v1/traces", environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        Assert.Equal("https://monitoring.us-west-2.amazonaws.com/v1/metrics", environment["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        Assert.Equal("https://logs.us-west-2.amazonaws.com/v1/logs", environment["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"]);
        // The group and stream setup-account.sh creates (the OTLP logs endpoint writes only to existing ones).
        Assert.Equal("x-aws-log-group=/aspire-xray/logs,x-aws-log-stream=otlp", environment["OTEL_EXPORTER_OTLP_LOGS_HEADERS"]);
        Assert.Equal(Bundle.Settings.Region, environment["AWS_REGION"]);
        // ServiceDefaults' own decision on this environment: every signal is exported.
        var exported = TelemetrySignals.Exported(new ConfigurationBuilder().AddInMemoryCollection(environment!).Build());
        Assert.Equal(["logs", "metrics", "traces"], exported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void With_irsa_sampleapis_service_account_names_the_direct_role_and_its_pod_template_is_unmarked()
    {
        var objects = Kustomize.Objects(EksBundle.DirectFolder);

        var account = objects.Single<V1ServiceAccount>(Bundle.SampleApi);
        Assert.Equal(
            $"arn:aws:iam::{Bundle.Settings.AccountId}:role/aspire-xray-sampleapi",
            account.Metadata.Annotations[KubernetesObjects.RoleArnAnnotation]);
        Assert.Null(objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template.Metadata.Annotations);
    }

    [Fact]
    public void With_pod_identity_no_role_annotation_and_a_marked_pod_template_so_switching_creates_a_new_pod()
    {
        var objects = Kustomize.Objects(EksBundle.DirectPodIdentityFolder);

        Assert.DoesNotContain(KubernetesObjects.RoleArnAnnotation, Kustomize.Render(EksBundle.DirectPodIdentityFolder), StringComparison.Ordinal);
        var template = objects.Single<V1Deployment>(Bundle.SampleApi).Spec.Template;
        Assert.Equal(KubernetesObjects.PodIdentity, template.Metadata.Annotations[KubernetesObjects.AwsIdentityAnnotation]);
        // Everything else about the pod is the same on both.
        var irsa = Kustomize.Objects(EksBundle.DirectFolder).Single<V1Deployment>(Bundle.SampleApi).Spec.Template;
        template.Metadata.Annotations = null;
        Assert.Equal(k8s.KubernetesYaml.Serialize(irsa), k8s.KubernetesYaml.Serialize(template));
    }

    [Fact]
    public void Direct_policy_grants_exactly_what_the_endpoints_of_the_signals_sampleapi_sends_need()
    {
        var policy = DirectRoute.Policy(Bundle.Settings);

        Assert.Equal(
            [
                "cloudwatch:PutMetricData,xray:PutSpans,xray:PutSpansForIndexing,xray:PutTraceSegments on *",
                "logs:DescribeLogGroups,logs:DescribeLogStreams,logs:PutLogEvents on "
                    + "arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs,arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*",
            ],
            policy.Statement.Select(statement => $"{string.Join(",", statement.Action)} on {string.Join(",", statement.Resource)}"));
        // Every action AWS documents for those endpoints is granted, on its resource.
        var granted = policy.Statement.SelectMany(statement => statement.Action.SelectMany(action => statement.Resource.Select(resource => new IamGrant(action, resource)))).ToHashSet();
        Assert.All(AwsDocumentedActions.For(DirectRoute.Exporters, Bundle.Settings.Scope), grant => Assert.Contains(grant, granted));
    }

    [Fact]
    public void Direct_policy_follows_the_signals_a_route_without_logs_would_get_no_logs_permission()
    {
        var tracesOnly = CollectorIam.PolicyFor([DirectRoute.EndpointExporters[TelemetrySignals.Traces]], Bundle.Settings.Scope);

        Assert.Equal(["xray:PutSpans", "xray:PutSpansForIndexing", "xray:PutTraceSegments"], Assert.Single(tracesOnly.Statement).Action);
    }

    [Theory]
    [InlineData(EksBundle.DirectIrsaFile)]
    [InlineData(EksBundle.DirectPodIdentityFile)]
    public void Direct_eksctl_files_give_sampleapis_service_account_exactly_the_direct_policy_inline(string file)
    {
        var config = YamlJson.Documents(File.ReadAllText(Path.Combine(Repository.Manifests, EksBundle.AwsFolder, file))).Single()!;

        JsonNode policy;
        if (file == EksBundle.DirectIrsaFile)
        {
            var account = Assert.Single(config["iam"]!["serviceAccounts"]!.AsArray())!;
            Assert.Equal((Bundle.SampleApi, Bundle.Settings.Namespace), ((string?)account["metadata"]!["name"], (string?)account["metadata"]!["namespace"]));
            Assert.Equal("aspire-xray-sampleapi", (string?)account["roleName"]);
            Assert.True((bool?)account["roleOnly"]);
            Assert.Null(account["attachPolicyARNs"]);
            policy = account["attachPolicy"]!;
        }
        else
        {
            var association = Assert.Single(config["iam"]!["podIdentityAssociations"]!.AsArray())!;
            Assert.Equal((Bundle.Settings.Namespace, Bundle.SampleApi), ((string?)association["namespace"], (string?)association["serviceAccountName"]));
            Assert.Null(association["permissionPolicyARNs"]);
            policy = association["permissionPolicy"]!;
        }

        var expected = DirectRoute.Policy(Bundle.Settings);
        Assert.Equal(
            expected.Statement.Select(statement => $"{string.Join(",", statement.Action)} on {string.Join(",", statement.Resource)}"),
            policy["Statement"]!.AsArray().Select(statement =>
                $"{string.Join(",", statement!["Action"]!.AsArray().Select(a => (string?)a))} on {string.Join(",", statement["Resource"]!.AsArray().Select(r => (string?)r))}"));
    }

    [Fact]
    public void Direct_route_bases_its_projects_on_aspirates_direct_output_and_never_on_the_collector_base()
    {
        var kustomization = YamlJson.Documents(File.ReadAllText(Path.Combine(Repository.Manifests, EksBundle.DirectFolder, EksBundle.KustomizationFile))).Single()!;

        var resources = kustomization["resources"]!.AsArray().Select(resource => (string?)resource).ToList();
        Assert.Contains("../base-direct/sampleapi", resources);
        Assert.DoesNotContain(resources, resource => resource!.StartsWith("../base/", StringComparison.Ordinal) || resource == "../base");
        Assert.False(Directory.Exists(Path.Combine(Repository.Manifests, EksBundle.DirectBaseFolder, Bundle.Collector)));
    }
}
