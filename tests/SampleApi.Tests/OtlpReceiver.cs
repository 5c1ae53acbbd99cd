using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace SampleApi.Tests;

/// <summary>
/// A bare Kestrel endpoint standing in for the collector: answers OTLP/gRPC and OTLP/HTTP exports
/// with success and records every message (gzip undone). It can hold trace exports unanswered, the
/// way a collector that accepted a connection and then stalled would, until <see cref="Release"/>.
/// To stand for a collector that is down, dispose it (its port then refuses connections) and start
/// another on the same <see cref="Port"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string GrpcTracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string HttpTracePath = "/v1/traces";
    public const string GrpcLogsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    public const string HttpLogsPath = "/v1/logs";
    public const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public const string HttpMetricsPath = "/v1/metrics";
    private const int GrpcFrameHeaderLength = 5;
    private const string UnobservedName = "SampleApi.Tests.OtlpReceiver";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _holding;
    private int _answeredTraceExports;
    private int _gzippedExports;

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.Single();

    public int Port => new Uri(Endpoint).Port;

    public IEnumerable<string> Paths => _received.Select(request => request.Path).Distinct();

    /// <summary>Trace exports answered so far (held ones are not, until released).</summary>
    public int AnsweredTraceExports => Volatile.Read(ref _answeredTraceExports);

    /// <summary>Exports that arrived gzip-compressed.</summary>
    public int GzippedExports => Volatile.Read(ref _gzippedExports);

    /// <summary>Completes when the first trace export is being held.</summary>
    public Task FirstHeldExport => _firstHeld.Task;

    public static async Task<OtlpReceiver> StartAsync(bool http2Only, bool holdTraceExports = false, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Hosting traces each request through these two; under names no tracer provider listens to,
        // the stand-in collector makes no spans of its own for the SampleApi hosts in this process to export.
        builder.Services.AddSingleton(new ActivitySource(UnobservedName));
        builder.Services.AddSingleton(new DiagnosticListener(UnobservedName));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
            listen.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app) { _holding = holdTraceExports };
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Answers the held trace exports and every later one.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Every Export*ServiceRequest received on <paramref name="path"/> (unframed, decompressed), in arrival order.</summary>
    public IReadOnlyList<byte[]> Bodies(string path) =>
        _received.Where(request => request.Path == path).Select(request => request.Body).ToList();

    /// <summary>How often <paramref name="needle"/> occurs in all bodies received on <paramref name="path"/>.</summary>
    public int CountOccurrences(string path, byte[] needle)
    {
        var count = 0;
        foreach (var (_, body) in _received.Where(request => request.Path == path))
        {
            for (var rest = body.AsSpan(); rest.IndexOf(needle) is var at and >= 0; rest = rest[(at + needle.Length)..])
            {
                count++;
            }
        }

        return count;
    }

    public Task<bool> WaitForAsync(string path, byte[] needle, TimeSpan timeout) =>
        WaitForCountAsync(path, needle, 1, timeout);

    /// <summary>Waits until <paramref name="needle"/> occurs at least <paramref name="count"/> times on <paramref name="path"/>.</summary>
    public async Task<bool> WaitForCountAsync(string path, byte[] needle, int count, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!cancellation.IsCancellationRequested)
        {
            if (CountOccurrences(path, needle) >= count)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var (message, gzipped) = Message(context.Request, body.ToArray());
        _received.Enqueue((context.Request.Path, message));
        if (gzipped)
        {
            Interlocked.Increment(ref _gzippedExports);
        }

        var isTraceExport = context.Request.Path == GrpcTracePath || context.Request.Path == HttpTracePath;
        if (isTraceExport && _holding)
        {
            _firstHeld.TrySetResult();
            await _released.Task;
        }

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // An empty Export*ServiceResponse: uncompressed flag, zero length; then status OK.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
        }

        if (isTraceExport)
        {
            Interlocked.Increment(ref _answeredTraceExports);
        }
    }

    /// <summary>The Export*ServiceRequest itself: without the gRPC frame header, and gunzipped; and whether it came gzipped.</summary>
    private static (byte[] Message, bool Gzipped) Message(HttpRequest request, byte[] body)
    {
        var grpc = request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        var compressed = grpc ? body.Length > 0 && body[0] == 1 : request.Headers.ContentEncoding == "gzip";
        var message = grpc && body.Length >= GrpcFrameHeaderLength ? body[GrpcFrameHeaderLength..] : body;
        if (!compressed)
        {
            return (message, false);
        }

        using var gzip = new GZipStream(new MemoryStream(message), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return (output.ToArray(), true);
    }
}
