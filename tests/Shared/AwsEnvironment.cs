namespace TestSupport;

/// <summary>
/// The AWS settings the SDK's credential chain reads from the process environment, set for one test
/// and put back after. Every variable the chain reads starts empty, the shared files point into a
/// temporary folder, and the instance metadata service is off, so nothing on this machine leaks in.
/// </summary>
internal sealed class AwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_EC2_METADATA_DISABLED", "AWS_REGION", "AWS_DEFAULT_REGION",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);

    public AwsEnvironment()
    {
        Folder = Directory.CreateTempSubdirectory("aws-env-").FullName;
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Set("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Folder, "credentials"));
        Set("AWS_CONFIG_FILE", Path.Combine(Folder, "config"));
        Set("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>A temporary folder standing for the home directory's <c>.aws</c>.</summary>
    public string Folder { get; }

    public string CredentialsFile => Path.Combine(Folder, "credentials");

    public string ConfigFile => Path.Combine(Folder, "config");

    public AwsEnvironment Set(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(Folder, recursive: true);
    }
}
