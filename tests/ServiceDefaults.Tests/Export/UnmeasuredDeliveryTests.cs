using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

/// <summary>
/// Suppressing instrumentation stops spans, not the runtime's HttpClient metrics: the buffer's sender
/// must keep its deliveries out of <c>http.client.*</c>, which ServiceDefaults exports.
/// </summary>
public class UnmeasuredDeliveryTests
{
    private const string HttpClientMeter = "System.Net.Http";

    [Fact]
    public async Task A_delivery_is_not_measured_by_the_http_client_metrics_a_plain_handler_records()
    {
        await using var receiver = WebApplication.CreateSlimBuilder().Build();
        receiver.Urls.Add("http://127.0.0.1:0");
        receiver.Run(context => context.Response.WriteAsync("ok"));
        await receiver.StartAsync();
        var port = new Uri(receiver.Urls.Single()).Port;
        using var measured = new PortMeasurements(port);

        using (var sender = new HttpMessageInvoker(ExportBuffer.CreateSender(ExportBufferSettings.From(new ConfigurationBuilder().Build()))))
        {
            Assert.Equal(HttpStatusCode.OK, (await sender.SendAsync(new HttpRequestMessage(HttpMethod.Post, receiver.Urls.Single()), default)).StatusCode);
        }

        Assert.Empty(measured.Instruments);

        // The control: the same request through a plain handler is measured, so the listener works.
        using (var plain = new HttpMessageInvoker(new SocketsHttpHandler()))
        {
            await plain.SendAsync(new HttpRequestMessage(HttpMethod.Post, receiver.Urls.Single()), default);
        }

        Assert.Contains("http.client.request.duration", measured.Instruments);
    }

    /// <summary>Names of the HttpClient instruments that recorded a measurement with <c>server.port</c> = the port.</summary>
    private sealed class PortMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, bool> _instruments = new();

        public PortMeasurements(int port)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HttpClientMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags, port));
            _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags, port));
            _listener.Start();
        }

        public ICollection<string> Instruments => _instruments.Keys;

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags, int port)
        {
            foreach (var (key, value) in tags)
            {
                if (key == "server.port" && value is int measuredPort && measuredPort == port)
                {
                    _instruments[instrument.Name] = true;
                }
            }
        }
    }
}
