using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Credentials from the AWS SDK's default chain: <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>
/// (and <c>AWS_SESSION_TOKEN</c>), <c>AWS_PROFILE</c> in the shared files (static keys, role profiles,
/// SSO), web identity (IRSA), container credentials (EKS Pod Identity, ECS) and the instance role.
/// The chain is resolved once; temporary credentials are the SDK's refreshing kind, which fetch new
/// ones before the old expire. Every fetch runs with instrumentation suppressed: the SDK's own HTTP
/// calls (STS, SSO, the Pod Identity agent) must not become spans in the telemetry being signed.
/// </summary>
internal sealed class AwsCredentialSource(AWSCredentials credentials)
{
    private static readonly Lock RegistrationLock = new();
    private static bool _registered;

    /// <summary>The chain's choice, for tests and diagnostics.</summary>
    public AWSCredentials Credentials { get; } = credentials;

    /// <summary>Resolves the default chain; the first fetch of the credentials waits for the first export.</summary>
    /// <exception cref="InvalidOperationException">No source in the chain has credentials.</exception>
    public static AwsCredentialSource FromDefaultChain()
    {
        RegisterServiceClients();
        using var _ = SuppressInstrumentationScope.Begin();
        try
        {
            return new AwsCredentialSource(DefaultAWSCredentialsIdentityResolver.GetCredentials());
        }
        catch (AmazonClientException error)
        {
            throw new InvalidOperationException(
                "OTLP export to AWS needs AWS credentials, and none were found: set AWS_PROFILE (after `aws configure` " +
                "or `aws sso login`), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or run with an " +
                $"IAM role (IRSA or EKS Pod Identity on EKS). The AWS SDK said: {error.Message}", error);
        }
    }

    /// <summary>Current credentials; refreshed by the SDK before they expire.</summary>
    /// <exception cref="HttpRequestException">The chain's source could not give credentials now; the export is retried.</exception>
    public async ValueTask<ImmutableCredentials> GetAsync(AwsEndpoint endpoint)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        try
        {
            return await Credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (IsFetchFailure(error))
        {
            throw Failed(endpoint, error);
        }
    }

    /// <summary>As <see cref="GetAsync"/>, for the SDK's synchronous send.</summary>
    public ImmutableCredentials Get(AwsEndpoint endpoint)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        try
        {
            return Credentials.GetCredentials();
        }
        catch (Exception error) when (IsFetchFailure(error))
        {
            throw Failed(endpoint, error);
        }
    }

    private static bool IsFetchFailure(Exception error) => error is AmazonClientException or HttpRequestException or IOException;

    private static HttpRequestException Failed(AwsEndpoint endpoint, Exception error)
    {
        AwsEventSource.Log.CredentialsFailed(endpoint.Service, error.GetType().Name, error.Message);
        return new HttpRequestException(HttpRequestError.Unknown, $"No AWS credentials: {error.Message}", error);
    }

    /// <summary>
    /// Under Native AOT, hands the SDK the STS, SSO and SSO OIDC clients that web identity and SSO
    /// profiles need: the SDK otherwise loads them by reflection, which AOT breaks, and its
    /// <see cref="GlobalRuntimeDependencyRegistry"/> is its documented way around that. Under the JIT
    /// the SDK's own loading stays, because it also gives an assumed-role profile's STS client that
    /// profile's source credentials, which a registered client cannot know (docs/aws-direct.md).
    /// </summary>
    private static void RegisterServiceClients()
    {
        lock (RegistrationLock)
        {
            if (_registered || RuntimeFeature.IsDynamicCodeSupported)
            {
                return;
            }

            var registry = GlobalRuntimeDependencyRegistry.Instance;
            registry.RegisterSecurityTokenServiceClient(context => new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig
            {
                RegionEndpoint = context.SecurityTokenServiceClientContextData.Region,
            }));
            registry.RegisterSSOClient(context => new AmazonSSOClient(new AnonymousAWSCredentials(), new AmazonSSOConfig
            {
                RegionEndpoint = context.SSOClientContextData.Region,
            }));
            registry.RegisterSSOOIDCClient(context => new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig
            {
                RegionEndpoint = context.SSOOIDCClientContextData.Region,
            }));
            _registered = true;
        }
    }
}
