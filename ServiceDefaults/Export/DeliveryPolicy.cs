using System.Security.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>What one delivery attempt of a held OTLP request came back with.</summary>
/// <param name="HttpStatus">The response's HTTP status; null when no response arrived.</param>
/// <param name="GrpcStatus">The gRPC status of a gRPC response (its <c>grpc-status</c> trailer); null for OTLP/HTTP.</param>
/// <param name="ServerDelay">The delay the server asked for: gRPC <c>RetryInfo</c> or HTTP <c>Retry-After</c>.</param>
/// <param name="Error">The exception that ended the attempt before a response, if any.</param>
/// <param name="Detail">What the receiver said about a refusal (<c>grpc-message</c>, AWS's <c>x-amzn-ErrorType</c>), for the report only.</param>
internal readonly record struct AttemptOutcome(int? HttpStatus, int? GrpcStatus = null, TimeSpan? ServerDelay = null, Exception? Error = null, string? Detail = null)
{
    /// <summary>No answer within the attempt timeout.</summary>
    public static AttemptOutcome TimedOut { get; } = new(null, Error: new TimeoutException());
}

/// <summary>What to do with a held request after an attempt.</summary>
internal enum DeliveryAction
{
    /// <summary>The receiver took it.</summary>
    Delivered,

    /// <summary>Try again after <see cref="DeliveryDecision.Delay"/>.</summary>
    Retry,

    /// <summary>Give it up, counted with <see cref="DeliveryDecision.ErrorType"/>.</summary>
    Drop,
}

/// <summary>The policy's answer: an action, the wait before a retry, or the <c>error.type</c> of a drop.</summary>
internal readonly record struct DeliveryDecision(DeliveryAction Action, TimeSpan Delay = default, string? ErrorType = null)
{
    public static DeliveryDecision Delivered { get; } = new(DeliveryAction.Delivered);

    public static DeliveryDecision RetryAfter(TimeSpan delay) => new(DeliveryAction.Retry, delay);

    public static DeliveryDecision Drop(string errorType) => new(DeliveryAction.Drop, ErrorType: errorType);
}

/// <summary>
/// The one retry policy for telemetry, a pure function of an attempt's outcome, following the OTLP
/// specification (https://opentelemetry.io/docs/specs/otlp/, v1.x): only the codes its "Failures"
/// sections call retryable are retried (gRPC: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE,
/// UNAVAILABLE, DATA_LOSS, and RESOURCE_EXHAUSTED only with <c>RetryInfo</c>; HTTP: 429, 502, 503, 504;
/// "all other 4xx or 5xx response status codes MUST NOT be retried"); the delay a server sends
/// (sections "OTLP/gRPC Throttling" and "OTLP/HTTP Throttling") is honoured; otherwise exponential
/// backoff with full jitter. No request outlives <see cref="DeliveryLimits.MaxAge"/>.
/// </summary>
internal static class DeliveryPolicy
{
    /// <summary><c>error.type</c> of a request that was still undelivered at its maximum age.</summary>
    public const string Expired = "expired";

    private const int GrpcOk = 0, GrpcResourceExhausted = 8;

    private static readonly int[] RetryableGrpcStatuses = [1, 4, 10, 11, 14, 15];
    private static readonly int[] RetryableHttpStatuses = [429, 502, 503, 504];

    /// <summary>Decides what follows an attempt.</summary>
    /// <param name="outcome">What the attempt came back with.</param>
    /// <param name="attempt">The attempt's number, 1 for the first.</param>
    /// <param name="age">How long the request has been held.</param>
    /// <param name="limits">Backoff and maximum age.</param>
    /// <param name="jitter">A uniform random number in [0, 1): the caller's, so the function stays pure.</param>
    public static DeliveryDecision Decide(AttemptOutcome outcome, int attempt, TimeSpan age, DeliveryLimits limits, double jitter)
    {
        if (Refusal(outcome) is { } errorType)
        {
            return errorType.Length == 0 ? DeliveryDecision.Delivered : DeliveryDecision.Drop(errorType);
        }

        var delay = outcome.ServerDelay is { } asked
            ? Clamp(asked, TimeSpan.Zero, limits.MaxAge)
            : Backoff(attempt, limits) * jitter;
        return age + delay >= limits.MaxAge ? DeliveryDecision.Drop(Expired) : DeliveryDecision.RetryAfter(delay);
    }

    /// <summary>The ceiling of the backoff before attempt <paramref name="attempt"/> + 1: first, doubled, capped.</summary>
    public static TimeSpan Backoff(int attempt, DeliveryLimits limits)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        return TimeSpan.FromTicks(Math.Min(limits.FirstBackoff.Ticks << Math.Min(doublings, 20), limits.MaxBackoff.Ticks));
    }

    /// <summary>"" when delivered, the <c>error.type</c> when the outcome must not be retried, null when it may be.</summary>
    private static string? Refusal(AttemptOutcome outcome) => outcome switch
    {
        { Error: { } error } => IsPermanent(error) ? error.GetType().Name : null,
        { HttpStatus: >= 200 and < 300, GrpcStatus: null or GrpcOk } => string.Empty,
        { GrpcStatus: GrpcResourceExhausted, ServerDelay: null } => GrpcErrorType(GrpcResourceExhausted),
        { GrpcStatus: GrpcResourceExhausted } => null,
        { GrpcStatus: { } grpc } => Array.IndexOf(RetryableGrpcStatuses, grpc) >= 0 ? null : GrpcErrorType(grpc),
        { HttpStatus: { } http } => Array.IndexOf(RetryableHttpStatuses, http) >= 0 ? null : http.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// Failures that will not heal by waiting: a certificate or TLS handshake refused, a request the
    /// client cannot send. A refused connection, a reset, a name not resolved yet or no answer in time can.
    /// </summary>
    private static bool IsPermanent(Exception error) => error switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.UserAuthenticationError or HttpRequestError.ConfigurationLimitExceeded } => true,
        HttpRequestException { InnerException: AuthenticationException } => true,
        AuthenticationException => true,
        HttpRequestException or TimeoutException or IOException or OperationCanceledException => false,
        _ => true,
    };

    private static string GrpcErrorType(int status) => $"grpc_status_{status}";

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}

/// <summary>The numbers the policy works with.</summary>
/// <param name="FirstBackoff">Ceiling of the first wait.</param>
/// <param name="MaxBackoff">Largest ceiling: pods retrying a recovered collector spread over this window.</param>
/// <param name="MaxAge">How long a request may stay undelivered before it is dropped as <c>expired</c>.</param>
internal readonly record struct DeliveryLimits(TimeSpan FirstBackoff, TimeSpan MaxBackoff, TimeSpan MaxAge);
