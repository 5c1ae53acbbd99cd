using System.Net;
using OtlpSink;

// An OTLP receiver for benchmarks: counts spans, log records and bytes by parsing every export.
// Usage: OtlpSink --GrpcPort=N --HttpPort=N --ControlPort=N
//   GET  /counts      what arrived since the last reset (JSON)
//   POST /reset       zero the counters
//   POST /otlp/stop   close the OTLP ports (a collector outage); POST /otlp/start opens them again
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var grpcPort = RequiredPort(builder.Configuration, "GrpcPort");
var httpPort = RequiredPort(builder.Configuration, "HttpPort");
var controlPort = RequiredPort(builder.Configuration, "ControlPort");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, controlPort));

var tally = new Tally();
await using var otlp = new OtlpListener(grpcPort, httpPort, tally);
var app = builder.Build();
app.MapGet("/counts", () => Results.Json(tally.Snapshot()));
app.MapPost("/reset", () => tally.Reset());
app.MapPost("/otlp/stop", otlp.StopAsync);
app.MapPost("/otlp/start", otlp.StartAsync);

await otlp.StartAsync();
await app.RunAsync();

static int RequiredPort(IConfiguration configuration, string name) =>
    int.TryParse(configuration[name], out var port) && port is > 0 and < 65536
        ? port
        : throw new ArgumentException($"Setting '{name}' must be a TCP port (1-65535), e.g. --{name}=4317.");
