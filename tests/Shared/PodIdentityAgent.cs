using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TestSupport;

/// <summary>
/// The test double for the EKS Pod Identity agent (AWS_CONTAINER_CREDENTIALS_FULL_URI): checks the
/// Authorization token and answers numbered temporary credentials (AKIDPOD1, pod-secret-1, pod-session-1, …).
/// </summary>
internal sealed class PodIdentityAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _token;
    private readonly List<string> _authorizations = [];

    private PodIdentityAgent(WebApplication app, string token)
    {
        _app = app;
        _token = token;
    }

    public string Uri => $"{_app.Urls.Single()}/v1/credentials";

    public IReadOnlyList<string> Authorizations
    {
        get
        {
            lock (_authorizations)
            {
                return [.. _authorizations];
            }
        }
    }

    public static async Task<PodIdentityAgent> StartAsync(string token, TimeSpan expiresIn)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var agent = new PodIdentityAgent(app, token);
        app.MapGet("/v1/credentials", (HttpContext context) =>
        {
            int served;
            lock (agent._authorizations)
            {
                agent._authorizations.Add(context.Request.Headers.Authorization.ToString());
                served = agent._authorizations.Count;
            }

            if (context.Request.Headers.Authorization != token)
            {
                return Results.StatusCode((int)HttpStatusCode.Forbidden);
            }

            return Results.Text(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["AccessKeyId"] = $"AKIDPOD{served}",
                ["SecretAccessKey"] = $"pod-secret-{served}",
                ["Token"] = $"pod-session-{served}",
                ["AccountId"] = "123456789012",
                ["Expiration"] = DateTime.UtcNow.Add(expiresIn).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            }), "application/json");
        });
        await app.StartAsync();
        return agent;
    }

    /// <summary>
    /// Points the SDK's container credentials at this agent as Pod Identity's webhook does: its URI in
    /// <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>, and the token in a file named by <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>.
    /// </summary>
    public async Task UseInAsync(AwsEnvironment environment)
    {
        var tokenFile = Path.Combine(environment.Folder, "eks-pod-identity-token");
        await File.WriteAllTextAsync(tokenFile, _token);
        environment.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", Uri).Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
