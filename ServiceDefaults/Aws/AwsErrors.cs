namespace Microsoft.Extensions.Hosting;

/// <summary>What AWS says about a refused request, for reporting it once (e.g. a 403's cause).</summary>
internal static class AwsErrors
{
    /// <summary>The header AWS's JSON protocol services name the error in.</summary>
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    /// <summary>
    /// AWS's error code, e.g. <c>AccessDeniedException</c> or <c>InvalidSignatureException</c>, from
    /// <see cref="ErrorTypeHeader"/> (which may append <c>:{namespace URL}</c>); null when absent.
    /// </summary>
    public static string? ErrorType(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Headers.TryGetValues(ErrorTypeHeader, out var values) || values.FirstOrDefault() is not { Length: > 0 } value)
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? value : value[..colon];
    }
}
