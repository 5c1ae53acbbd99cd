using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;

namespace ServiceDefaults.Tests.Export;

/// <summary>
/// Stands in for the collector under the export buffer's sender: each attempt is answered by the
/// script (a response, or null for a refused connection), and every attempt is
/// recorded with its marker, so a test can wait for the attempt it expects.
/// </summary>
internal sealed class ScriptedReceiver(Func<string, int, HttpResponseMessage?> script) : HttpMessageHandler
{
    private readonly Channel<(string Marker, int Attempt)> _attempts = Channel.CreateUnbounded<(string, int)>();
    private readonly ConcurrentDictionary<string, int> _attemptsByMarker = new();
    private readonly ConcurrentQueue<string> _delivered = new();

    /// <summary>Markers of the requests answered with success, in order.</summary>
    public IReadOnlyCollection<string> Delivered => _delivered;

    public int AttemptsOf(string marker) => _attemptsByMarker.GetValueOrDefault(marker);

    /// <summary>The next attempt the sender makes (bounded, so a broken buffer fails instead of hanging).</summary>
    public async Task<(string Marker, int Attempt)> NextAttemptAsync() =>
        await _attempts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var marker = Payloads.MarkerOf(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
        var attempt = _attemptsByMarker.AddOrUpdate(marker, 1, (_, count) => count + 1);
        var response = script(marker, attempt);
        if (response?.IsSuccessStatusCode == true)
        {
            _delivered.Enqueue(marker);
        }

        await _attempts.Writer.WriteAsync((marker, attempt), cancellationToken);
        return response ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
    }

    public static HttpResponseMessage Ok() => new(HttpStatusCode.OK);

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status);
}
