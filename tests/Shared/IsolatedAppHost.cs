using System.Security.Cryptography;

namespace TestSupport;

/// <summary>
/// Command-line settings that cut an AppHost under test off from the state of the machine it runs
/// on, so a test run neither depends on an earlier run nor changes how the developer's own
/// <c>dotnet run --project AppHost</c> behaves. Test arguments that come later win.
/// </summary>
internal static class IsolatedAppHost
{
    /// <summary>
    /// A user-secrets id of this test process alone. Aspire reads and writes the store named by
    /// <c>ASPIRE_USER_SECRETS_ID</c> instead of the AppHost's own, which it would otherwise read (in
    /// Development) and write generated keys and its version check into.
    /// </summary>
    public static readonly string UserSecretsId = $"apphost-tests-{Guid.NewGuid():N}";

    /// <summary>The dashboard's OTLP API key. Given, so Aspire neither generates nor persists one.</summary>
    public static readonly string OtlpApiKey = NewKey();

    /// <summary>The dashboard's telemetry API key. Given, so Aspire neither generates nor persists one.</summary>
    public static readonly string DashboardApiKey = NewKey();

    /// <summary>The settings, as command-line arguments to put before a test's own.</summary>
    public static IEnumerable<string> Arguments =>
    [
        $"--ASPIRE_USER_SECRETS_ID={UserSecretsId}",
        $"--AppHost:OtlpApiKey={OtlpApiKey}",
        $"--AppHost:DashboardApiKey={DashboardApiKey}",
        // The version check records its date in user secrets and asks NuGet over the network.
        "--ASPIRE_VERSION_CHECK_DISABLED=true",
        // Empty values hide the machine's AWS settings from the environment.
        "--AWS:Region=",
        "--AWS_REGION=",
        "--AWS:Profile=",
        "--AWS_PROFILE=",
    ];

    private static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
