using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests.Aws;

public sealed class AwsConfigTests : IDisposable
{
    private static readonly string[] AwsVariables = ["AWS_PROFILE", "AWS_REGION", "AWS__Profile", "AWS__Region"];

    private readonly string _awsFolder = Directory.CreateTempSubdirectory("aws-").FullName;

    public void Dispose() => Directory.Delete(_awsFolder, recursive: true);

    [Fact]
    public async Task Profile_and_region_come_from_the_AWS_section()
    {
        var builder = await AppModel.CreateAsync("--AWS:Profile=dev", "--AWS:Region=eu-west-2", "--AWS_REGION=us-east-1");

        var aws = builder.AddAwsConfig();

        Assert.Equal(("dev", "eu-west-2"), (aws.Profile, aws.Region));
    }

    [Fact]
    public async Task Profile_and_region_fall_back_to_AWS_PROFILE_and_AWS_REGION()
    {
        var builder = await AppModel.CreateAsync("--AWS_PROFILE=sandbox", "--AWS_REGION=us-gov-west-1");

        var aws = builder.AddAwsConfig();

        Assert.Equal(("sandbox", "us-gov-west-1"), (aws.Profile, aws.Region));
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-2")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-north-1")]
    [InlineData("ap-southeast-7")]
    public void Region_names_of_every_partition_are_accepted(string region) => Assert.True(AwsRegion.IsValid(region));

    [Theory]
    [InlineData("--AWS:Region=US-EAST-1", "AWS:Region", "US-EAST-1")]
    [InlineData("--AWS:Region=useast1", "AWS:Region", "useast1")]
    [InlineData("--AWS_REGION=us-east", "AWS_REGION", "us-east")]
    [InlineData("--AWS_REGION=eu west 1", "AWS_REGION", "eu west 1")]
    public async Task A_bad_region_fails_with_one_message_naming_the_setting_and_the_fix(string argument, string setting, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.CreateAsync(argument));

        Assert.Equal(
            $"{setting} is '{value}', which is not an AWS region name. Set AWS:Region to a region such as us-east-1 " +
            "or eu-west-2 (dotnet user-secrets set AWS:Region us-east-1 --project AppHost), or remove it to run without AWS.",
            error.Message);
    }

    [Theory]
    [InlineData("sampleapi")]
    [InlineData("collector")]
    public async Task Resources_get_the_aws_variables_when_settings_are_given(string name)
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container", "--AWS:Profile=dev", "--AWS:Region=us-west-2");

        var environment = await builder.Resources.Resource<IResourceWithEnvironment>(name).EnvironmentAsync(builder.ExecutionContext);

        Assert.Equal(
            ["dev", "us-west-2", "dev", "us-west-2"],
            AwsVariables.Select(variable => environment.GetValueOrDefault(variable)));
    }

    [Theory]
    [InlineData("sampleapi")]
    [InlineData("collector")]
    public async Task Resources_get_no_aws_variables_without_settings(string name)
    {
        var builder = await AppModel.CreateAsync("--Collector:Mode=container");

        var environment = await builder.Resources.Resource<IResourceWithEnvironment>(name).EnvironmentAsync(builder.ExecutionContext);

        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("AWS", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Published_resources_get_the_region_but_never_the_local_profile()
    {
        await using var app = await AppModel.BuildAsync([.. AppModel.Publish(), "--AWS:Profile=dev", "--AWS:Region=us-west-2"]);

        var environment = await app.Resources().Resource<ProjectResource>("sampleapi").EnvironmentAsync(app.ExecutionContext());

        Assert.Equal("us-west-2", environment["AWS_REGION"]);
        Assert.Equal("us-west-2", environment["AWS__Region"]);
        Assert.DoesNotContain(environment.Keys, key => key.Contains("Profile", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_running_container_gets_the_users_aws_folder_read_only_as_its_home()
    {
        var builder = await AppModel.CreateAsync();
        var container = builder.AddContainer("aws-cli", "amazon/aws-cli");

        container.WithReference(new AwsConfig("dev", "us-west-2", _awsFolder));

        var mount = Assert.Single(container.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((_awsFolder, "/aws-home/.aws", ContainerMountType.BindMount, true), (mount.Source, mount.Target, mount.Type, mount.IsReadOnly));
        var environment = await container.Resource.EnvironmentAsync(builder.ExecutionContext);
        // HOME is where the SDKs find the shared files and the SSO token cache (~/.aws/sso/cache).
        Assert.Equal("/aws-home", environment["HOME"]);
        Assert.Equal("/aws-home/.aws/config", environment["AWS_CONFIG_FILE"]);
        Assert.Equal("/aws-home/.aws/credentials", environment["AWS_SHARED_CREDENTIALS_FILE"]);
    }

    [Theory]
    [InlineData("docker", new string[0])]
    [InlineData("podman", new[] { "--userns=keep-id" })]
    public async Task On_linux_a_running_container_runs_as_the_user_who_owns_the_aws_folder(string runtime, string[] extra)
    {
        var builder = await AppModel.CreateAsync($"--ASPIRE_CONTAINER_RUNTIME={runtime}");
        var container = builder.AddContainer("aws-cli", "amazon/aws-cli");

        container.WithReference(new AwsConfig("dev", "us-west-2", _awsFolder));

        var args = new List<object>();
        foreach (var callback in container.Resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(new ContainerRuntimeArgsCallbackContext(args));
        }

        if (!OperatingSystem.IsLinux())
        {
            // Docker Desktop shares files with its VM as readable by the container user.
            Assert.Empty(args);
            return;
        }

        var owner = File.ReadAllLines("/proc/self/status").Where(line => line.StartsWith("Uid:", StringComparison.Ordinal) || line.StartsWith("Gid:", StringComparison.Ordinal))
            .Select(line => line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2]);
        Assert.Equal(["--user", string.Join(':', owner), .. extra], args.Cast<string>());
    }

    [Fact]
    public async Task No_credential_value_reaches_a_containers_environment()
    {
        var builder = await AppModel.CreateAsync();
        var container = builder.AddContainer("aws-cli", "amazon/aws-cli");
        File.WriteAllText(Path.Combine(_awsFolder, "credentials"), "[dev]\naws_access_key_id = AKIAEXAMPLEKEY\naws_secret_access_key = example-secret\n");

        container.WithReference(new AwsConfig("dev", "us-west-2", _awsFolder));

        var environment = await container.Resource.EnvironmentAsync(builder.ExecutionContext);
        Assert.DoesNotContain(environment.Keys, key => key is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" or "AWS_SESSION_TOKEN");
        Assert.DoesNotContain(environment.Values.Select(AppModel.Expression), value => value.Contains("example-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_container_gets_no_aws_folder_when_the_user_has_none()
    {
        var builder = await AppModel.CreateAsync();
        var container = builder.AddContainer("aws-cli", "amazon/aws-cli");

        container.WithReference(new AwsConfig("dev", "us-west-2", Path.Combine(_awsFolder, "missing")));

        Assert.Empty(container.Resource.Annotations.OfType<ContainerMountAnnotation>());
    }

    [Fact]
    public async Task A_published_container_gets_no_aws_folder()
    {
        var builder = await AppModel.CreateAsync(AppModel.Publish());
        var container = builder.AddContainer("aws-cli", "amazon/aws-cli");

        container.WithReference(new AwsConfig("dev", "us-west-2", _awsFolder));

        Assert.Empty(container.Resource.Annotations.OfType<ContainerMountAnnotation>());
    }
}
