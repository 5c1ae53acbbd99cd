using Microsoft.Extensions.Hosting;
using TestSupport;

namespace ServiceDefaults.Tests.Aws;

/// <summary>
/// The SDK's default chain, as ServiceDefaults resolves it, from each source a developer or a pod
/// has: environment variables, a profile in the shared files, and EKS Pod Identity's agent (a local
/// endpoint standing for it, answering as the agent does).
/// </summary>
[Collection(AwsEnvironmentState.Name)]
public class AwsCredentialChainTests
{
    private static readonly AwsEndpoint XRay = new("xray", "eu-west-2");

    [Fact]
    public async Task Environment_variables_with_a_session_token_are_used()
    {
        using var environment = new AwsEnvironment()
            .Set("AWS_ACCESS_KEY_ID", "AKIDENV")
            .Set("AWS_SECRET_ACCESS_KEY", "env-secret")
            .Set("AWS_SESSION_TOKEN", "env-token");

        var credentials = await AwsCredentialSource.FromDefaultChain().GetAsync(XRay);

        Assert.Equal(("AKIDENV", "env-secret", "env-token"), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
    }

    [Fact]
    public async Task A_named_profile_in_the_shared_credentials_file_is_used()
    {
        using var environment = new AwsEnvironment();
        await File.WriteAllTextAsync(environment.CredentialsFile, """
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = default-secret

            [telemetry]
            aws_access_key_id = AKIDPROFILE
            aws_secret_access_key = profile-secret
            aws_session_token = profile-token
            """);
        environment.Set("AWS_PROFILE", "telemetry");

        var credentials = await AwsCredentialSource.FromDefaultChain().GetAsync(XRay);

        Assert.Equal(("AKIDPROFILE", "profile-secret", "profile-token"), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
    }

    /// <summary>
    /// Pod Identity's webhook sets <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> and a token file; the
    /// agent wants the token as the Authorization header and answers temporary credentials. Served
    /// ones about to expire are fetched again on the next use, before they lapse.
    /// </summary>
    [Fact]
    public async Task Container_credentials_as_eks_pod_identity_serves_them_are_used_and_fetched_again_before_they_expire()
    {
        await using var agent = await PodIdentityAgent.StartAsync("pod-token", expiresIn: TimeSpan.FromMinutes(1));
        using var environment = new AwsEnvironment();
        await agent.UseInAsync(environment);

        var source = AwsCredentialSource.FromDefaultChain();
        var first = await source.GetAsync(XRay);
        var second = await source.GetAsync(XRay);

        Assert.Equal(("AKIDPOD1", "pod-secret-1", "pod-session-1"), (first.AccessKey, first.SecretKey, first.Token));
        Assert.Equal("AKIDPOD2", second.AccessKey);
        Assert.Equal(["pod-token", "pod-token"], agent.Authorizations);
    }

    /// <summary>
    /// The profile named is in no file. (Naming one also tells the SDK the environment changed: it
    /// keeps the last chain's result while the variables it watches stay the same.)
    /// </summary>
    [Fact]
    public void Without_credentials_the_start_stops_naming_the_settings_that_give_them()
    {
        using var environment = new AwsEnvironment().Set("AWS_PROFILE", $"absent-{Guid.NewGuid():N}");

        var error = Assert.Throws<InvalidOperationException>(AwsCredentialSource.FromDefaultChain);

        Assert.StartsWith("OTLP export to AWS needs AWS credentials, and none were found: set AWS_PROFILE", error.Message);
    }
}
