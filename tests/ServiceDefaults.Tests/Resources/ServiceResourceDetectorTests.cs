using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Resources;

public class ServiceResourceDetectorTests
{
    private const string AppName = "orders-api";
    private const string Version = "1.2.3+abc";

    private static readonly Dictionary<string, string?> OnEks = new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.100.0.1",
        ["AWS_REGION"] = "eu-west-1",
        ["K8S_NAMESPACE_NAME"] = "shop",
        ["K8S_POD_NAME"] = "orders-api-7d9f8-abcde",
        ["K8S_NODE_NAME"] = "ip-10-0-1-23.eu-west-1.compute.internal",
        ["K8S_CLUSTER_NAME"] = "demo",
    };

    private static Dictionary<string, object> Detect(Dictionary<string, string?> settings, string? version = Version)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceResourceDetector(configuration, AppName, version).Detect().Attributes
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);
    }

    [Fact]
    public void Outside_kubernetes_only_service_attributes_are_set()
    {
        var attributes = Detect([]);

        Assert.Equal(
            new Dictionary<string, object>
            {
                ["service.name"] = AppName,
                ["service.version"] = Version,
                ["service.instance.id"] = ServiceResourceDetector.ProcessInstanceId,
            },
            attributes);
        Assert.True(Guid.TryParse(ServiceResourceDetector.ProcessInstanceId, out _));
    }

    [Fact]
    public void On_eks_kubernetes_and_cloud_attributes_come_from_the_downward_api_variables()
    {
        var attributes = Detect(OnEks);

        Assert.Equal(
            new Dictionary<string, object>
            {
                ["service.name"] = AppName,
                ["service.version"] = Version,
                ["service.instance.id"] = "orders-api-7d9f8-abcde",
                ["k8s.namespace.name"] = "shop",
                ["k8s.pod.name"] = "orders-api-7d9f8-abcde",
                ["k8s.node.name"] = "ip-10-0-1-23.eu-west-1.compute.internal",
                ["k8s.cluster.name"] = "demo",
                ["cloud.provider"] = "aws",
                ["cloud.platform"] = "aws_eks",
                ["cloud.region"] = "eu-west-1",
            },
            attributes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_variables_mean_absent_attributes(string empty)
    {
        var settings = OnEks.ToDictionary(setting => setting.Key, _ => (string?)empty);

        var attributes = Detect(settings, version: empty);

        Assert.Equal(["service.instance.id", "service.name"], attributes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kubernetes_without_an_aws_hint_is_not_eks()
    {
        var settings = new Dictionary<string, string?>(OnEks) { ["AWS_REGION"] = null };

        var attributes = Detect(settings);

        Assert.Equal("demo", attributes["k8s.cluster.name"]);
        Assert.DoesNotContain(attributes.Keys, key => key.StartsWith("cloud.", StringComparison.Ordinal));
    }

    [Fact]
    public void Aws_region_outside_kubernetes_is_not_eks()
    {
        var attributes = Detect(new() { ["AWS_REGION"] = "eu-west-1" });

        Assert.DoesNotContain(attributes.Keys, key => key.StartsWith("cloud.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/orders")]
    [InlineData("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials")]
    [InlineData("AWS_DEFAULT_REGION", "us-east-2")]
    public void Irsa_pod_identity_or_region_variables_mark_a_pod_as_eks(string name, string value)
    {
        var attributes = Detect(new() { ["KUBERNETES_SERVICE_HOST"] = "10.100.0.1", [name] = value });

        Assert.Equal("aws", attributes["cloud.provider"]);
        Assert.Equal("aws_eks", attributes["cloud.platform"]);
        Assert.Equal(name == "AWS_DEFAULT_REGION", attributes.ContainsKey("cloud.region"));
    }

    [Fact]
    public void Otel_service_name_wins_over_the_application_name()
    {
        var attributes = Detect(new() { ["OTEL_SERVICE_NAME"] = "checkout" });

        Assert.Equal("checkout", attributes["service.name"]);
    }
}
