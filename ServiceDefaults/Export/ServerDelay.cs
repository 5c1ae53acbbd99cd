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

    private static ReadOnlySpan<byte> RetryInfoType => "type.googleapis.com/google.rpc.RetryInfo"u8;

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

        try
        {
            var reader = new ProtoReader(status);
            while (reader.TryReadNext(StatusDetails, out var any))
            {
                if (RetryInfoDelay(any) is { } delay)
                {
                    return delay;
                }
            }
        }
        catch (InvalidDataException)
        {
            // Malformed: no delay asked for.
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
        var reader = new ProtoReader(any);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == AnyTypeUrl && wireType == ProtoReader.LengthDelimited)
            {
                isRetryInfo = reader.ReadLengthDelimited().SequenceEqual(RetryInfoType);
            }
            else if (field == AnyValue && wireType == ProtoReader.LengthDelimited)
            {
                retryInfo = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (!isRetryInfo)
        {
            return null;
        }

        // RetryInfo without a delay: retry, with no wait asked for.
        return new ProtoReader(retryInfo).TryReadNext(RetryDelay, out var duration) ? Duration(duration) : TimeSpan.Zero;
    }

    private static TimeSpan Duration(ReadOnlySpan<byte> duration)
    {
        long seconds = 0, nanos = 0;
        var reader = new ProtoReader(duration);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (wireType != ProtoReader.Varint)
            {
                reader.Skip(wireType);
            }
            else if (field == Seconds)
            {
                seconds = (long)reader.ReadVarint();
            }
            else if (field == Nanos)
            {
                nanos = (long)reader.ReadVarint();
            }
            else
            {
                reader.ReadVarint();
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
