using System.Text.Json;
using System.Text.Json.Nodes;
using AppHost.Eks;
using Json.Schema;

namespace AppHost.Tests.Eks;

/// <summary>Generated files validate against the official schemas (vendored in Schemas/), and a wrong field would not.</summary>
public class EksSchemaTests
{
    private static readonly string SchemaFolder = Path.Combine(AppContext.BaseDirectory, "Eks", "Schemas");

    private static readonly Lazy<JsonSchema> CollectorCrd = new(() =>
    {
        var crd = YamlJson.Documents(File.ReadAllText(Path.Combine(SchemaFolder, "opentelemetry.io_opentelemetrycollectors-v0.151.0.yaml"))).Single()!;
        var v1beta1 = crd["spec"]!["versions"]!.AsArray().Single(version => (string?)version!["name"] == OpenTelemetryCollectorResource.KubeApiVersion)!;
        // Kubernetes' OpenAPI v3 structural schema is JSON Schema plus x-kubernetes-* hints, which only the API server acts on.
        var openApi = new BuildOptions { Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };
        return JsonSchema.FromText(v1beta1["schema"]!["openAPIV3Schema"]!.ToJsonString(), openApi, new Uri("https://schemas.test/otelcol-v1beta1"));
    });

    private static readonly Lazy<JsonSchema> ClusterConfig = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaFolder, "eksctl-clusterconfig-v1alpha5-v0.230.0.schema.json")), baseUri: new Uri("https://schemas.test/eksctl")));

    public static TheoryData<string> EksctlFiles => ["cluster.yaml", "adot-addon.yaml", "pod-identity.yaml", EksBundle.DirectIrsaFile, EksBundle.DirectPodIdentityFile];

    [Fact]
    public void Collector_cr_validates_against_the_operators_v1beta1_schema()
    {
        var cr = RenderedCollectorCr();

        AssertValid(CollectorCrd.Value, cr);
    }

    [Fact]
    public void Collector_cr_with_config_as_a_string_or_an_unknown_mode_would_fail_the_schema()
    {
        var stringConfig = RenderedCollectorCr();
        stringConfig["spec"]!["config"] = "receivers: {}";
        var unknownMode = RenderedCollectorCr();
        unknownMode["spec"]!["mode"] = "pod";

        Assert.False(Evaluate(CollectorCrd.Value, stringConfig).IsValid);
        Assert.False(Evaluate(CollectorCrd.Value, unknownMode).IsValid);
    }

    [Theory]
    [MemberData(nameof(EksctlFiles))]
    public void Eksctl_file_validates_against_eksctls_cluster_config_schema(string file)
    {
        AssertValid(ClusterConfig.Value, EksctlFile(file));
    }

    [Fact]
    public void Cluster_config_with_a_misspelt_field_would_fail_the_schema()
    {
        var config = EksctlFile("cluster.yaml");
        config["iam"]!["withOidc"] = true;

        Assert.False(Evaluate(ClusterConfig.Value, config).IsValid);
    }

    [Fact]
    public void Cluster_config_creates_oidc_a_managed_node_group_and_the_collectors_role_with_its_fixed_name()
    {
        var config = EksctlFile("cluster.yaml");

        Assert.Equal(Bundle.Settings.ClusterName, (string?)config["metadata"]!["name"]);
        Assert.Equal(Bundle.Settings.Region, (string?)config["metadata"]!["region"]);
        Assert.True((bool?)config["iam"]!["withOIDC"]);
        Assert.Single(config["managedNodeGroups"]!.AsArray());
        var role = Assert.Single(config["iam"]!["serviceAccounts"]!.AsArray())!;
        Assert.Equal((Bundle.Collector, Bundle.Settings.Namespace), ((string?)role["metadata"]!["name"], (string?)role["metadata"]!["namespace"]));
        Assert.Equal(Bundle.Settings.CollectorRoleName, (string?)role["roleName"]);
        Assert.Null(role["attachPolicyARNs"]);
        AssertIsTheCollectorsPolicy(role["attachPolicy"]);
    }

    [Fact]
    public void Pod_identity_gives_the_collectors_service_account_exactly_the_collectors_policy_inline()
    {
        var association = Assert.Single(EksctlFile("pod-identity.yaml")["iam"]!["podIdentityAssociations"]!.AsArray())!;

        Assert.Equal((Bundle.Settings.Namespace, Bundle.Collector), ((string?)association["namespace"], (string?)association["serviceAccountName"]));
        Assert.Null(association["permissionPolicyARNs"]);
        Assert.Null(association["wellKnownPolicies"]);
        AssertIsTheCollectorsPolicy(association["permissionPolicy"]);
    }

    /// <summary>The committed inline policy is the union <see cref="CollectorIam"/> derives from the EKS collector's exporters, no more.</summary>
    private static void AssertIsTheCollectorsPolicy(JsonNode? policy)
    {
        var expected = CollectorIam.PolicyFor(KubernetesObjects.ToCollectorConfig(Bundle.Settings), Bundle.Settings.Scope);
        Assert.Equal("2012-10-17", (string?)policy!["Version"]);
        Assert.Equal(
            expected.Statement.Select(statement => $"{statement.Effect} {string.Join(",", statement.Action)} on {string.Join(",", statement.Resource)}"),
            policy["Statement"]!.AsArray().Select(statement =>
                $"{(string?)statement!["Effect"]} {string.Join(",", statement["Action"]!.AsArray().Select(a => (string?)a))} on {string.Join(",", statement["Resource"]!.AsArray().Select(r => (string?)r))}"));
        Assert.DoesNotContain(policy["Statement"]!.AsArray().SelectMany(statement => statement!["Action"]!.AsArray()), action => ((string?)action)!.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void Cluster_config_pins_the_kubernetes_version_and_turns_on_the_vpc_cnis_network_policy_enforcement()
    {
        var config = EksctlFile("cluster.yaml");

        Assert.Equal("1.35", (string?)config["metadata"]!["version"]);
        var vpcCni = Assert.Single(config["addons"]!.AsArray(), addon => (string?)addon!["name"] == "vpc-cni")!;
        // eksctl passes configurationValues to EKS as the add-on's JSON configuration.
        var values = JsonNode.Parse((string)vpcCni["configurationValues"]!)!;
        Assert.Equal("true", (string?)values["enableNetworkPolicy"]);
    }

    private static JsonNode RenderedCollectorCr() =>
        YamlJson.Documents(Kustomize.Render(EksBundle.AdotAddonFolder)).Single(doc => (string?)doc!["kind"] == OpenTelemetryCollectorResource.KubeKind)!;

    private static JsonNode EksctlFile(string file) =>
        YamlJson.Documents(File.ReadAllText(Path.Combine(Repository.Manifests, EksBundle.AwsFolder, file))).Single()!;

    private static EvaluationResults Evaluate(JsonSchema schema, JsonNode instance) =>
        schema.Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static void AssertValid(JsonSchema schema, JsonNode instance)
    {
        var results = Evaluate(schema, instance);
        var errors = (results.Details ?? []).Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"));
        Assert.True(results.IsValid, string.Join('\n', errors));
    }
}
