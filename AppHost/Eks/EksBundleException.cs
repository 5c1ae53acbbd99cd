namespace AppHost.Eks;

/// <summary>
/// Something the user can fix stopped the EKS bundle (a setting, a missing tool, a tool's failure);
/// its message says what and how, and is shown alone, without a stack trace.
/// </summary>
internal sealed class EksBundleException(string message) : Exception(message);
