using System.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The delay a receiver asks for before the next attempt: gRPC's <c>google.rpc.RetryInfo</c> in the
/// <c>grpc-status-details-bin</c> trailer, or HTTP's <c>Retry-After</c> (seconds or a date). Malformed
/// values are ignored (the policy's own backoff applies), never thrown.
/// </summary>
internal static class ServerDelay
{
    /// <summary>The trailer holding a serialized <c>google.rpc.Status</c>, base64 without padding.</summary>
    public const string GrpcStatusDetailsHeader = "grpc-status-details-bin";

    private const string RetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

    // google.rpc.Status.details = 3 (google.protobuf.Any: type_url = 1, value = 2);
    // RetryInfo.retry_delay = 1 (google.protobuf.Duration: seconds = 1, nanos = 2).
    private const int StatusDetails = 3, AnyTypeUrl = 1, AnyValue = 2, RetryDelay = 1, Seconds = 1, Nanos = 2;

    /// <summary>The <c>RetryInfo</c> delay in a <c>grpc-status-details-bin</c> value, if there is one.</summary>
    public static TimeSpan? FromGrpcStatusDetails(string? value)
    {
        if (string.IsNullOrEmpty(value) || Base64(value) is not { } status)
        {
            return null;
        }

        var reader = new ProtoWire(status);
        while (reader.Next())
        {
            if (reader.Field == StatusDetails && reader.WireType == ProtoWire.LengthDelimited && RetryInfoDelay(reader.Bytes) is { } delay)
            {
                return delay;
            }
        }

        return null;
    }

    /// <summary>The delay a <c>Retry-After</c> header asks for, as of <paramref name="now"/>; a past date is no delay.</summary>
    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static TimeSpan? RetryInfoDelay(ReadOnlySpan<byte> any)
    {
        var isRetryInfo = false;
        ReadOnlySpan<byte> retryInfo = default;
        var reader = new ProtoWire(any);
        while (reader.Next())
        {
            if (reader.Field == AnyTypeUrl && reader.WireType == ProtoWire.LengthDelimited)
            {
                isRetryInfo = reader.Bytes.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(RetryInfoType));
            }
            else if (reader.Field == AnyValue && reader.WireType == ProtoWire.LengthDelimited)
            {
                retryInfo = reader.Bytes;
            }
        }

        if (!isRetryInfo)
        {
            return null;
        }

        reader = new ProtoWire(retryInfo);
        while (reader.Next())
        {
            if (reader.Field == RetryDelay && reader.WireType == ProtoWire.LengthDelimited)
            {
                return Duration(reader.Bytes);
            }
        }

        return TimeSpan.Zero; // RetryInfo without a delay: retry, with no wait asked for
    }

    private static TimeSpan Duration(ReadOnlySpan<byte> duration)
    {
        long seconds = 0, nanos = 0;
        var reader = new ProtoWire(duration);
        while (reader.Next())
        {
            if (reader.WireType != ProtoWire.Varint)
            {
                continue;
            }

            if (reader.Field == Seconds)
            {
                seconds = (long)reader.Value;
            }
            else if (reader.Field == Nanos)
            {
                nanos = (long)reader.Value;
            }
        }

        // Negative or absurd values clamp to zero or a day; the policy clamps further to the request's age.
        return seconds < 0 || nanos < 0 ? TimeSpan.Zero
            : TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds)) + TimeSpan.FromTicks(Math.Min(nanos, 999_999_999) / 100);
    }

    private static byte[]? Base64(string value)
    {
        var padded = value.Length % 4 == 0 ? value : value + new string('=', 4 - (value.Length % 4));
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) ? bytes[..written] : null;
    }
}
