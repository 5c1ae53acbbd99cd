using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

public class OtlpPayloadTests
{
    /// <summary>About 150 KB of spans: several blocks' worth.</summary>
    private const int Spans = 10_000;

    private readonly HeldBlocks _pool = new(1024 * 1024);

    [Fact]
    public async Task A_held_http_payload_is_gzipped_and_sent_with_its_encoding()
    {
        var message = TraceMessage(Spans);
        var payload = OtlpPayload.From(Request("/v1/traces", message, "application/x-protobuf"))!;

        Assert.True(payload.Compress(_pool) > message.Length / 2);

        Assert.True(payload.Compressed);
        Assert.Equal(0, payload.Footprint % HeldBlocks.BlockSize);
        Assert.Equal(Spans, payload.Items);
        using var request = payload.CreateRequest();
        Assert.Equal(["gzip"], request.Content!.Headers.ContentEncoding);
        Assert.Equal(message, Gunzip(await request.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_held_grpc_payload_is_gzipped_inside_a_compressed_frame()
    {
        var message = TraceMessage(Spans);
        var payload = OtlpPayload.From(Request("/opentelemetry.proto.collector.trace.v1.TraceService/Export", GrpcFrame(message), "application/grpc"))!;

        payload.Compress(_pool);

        using var request = payload.CreateRequest();
        var frame = await request.Content!.ReadAsByteArrayAsync();
        Assert.Equal(1, frame[0]);
        Assert.Equal((uint)(frame.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1)));
        Assert.Equal(["gzip"], request.Headers.GetValues("grpc-encoding"));
        Assert.Equal(message, Gunzip(frame[5..]));
    }

    [Theory]
    [InlineData(100_000)] // gzip outgrows the body
    [InlineData(1_000)] // smaller than a block
    public async Task A_payload_blocks_would_not_shrink_is_held_and_sent_as_it_came(int length)
    {
        var random = new byte[length];
        new Random(17).NextBytes(random);
        var payload = OtlpPayload.From(Request("/v1/traces", random, "application/x-protobuf"))!;

        Assert.Equal(0, payload.Compress(_pool));

        Assert.False(payload.Compressed);
        Assert.Equal(random.Length, payload.Footprint);
        using var request = payload.CreateRequest();
        Assert.Empty(request.Content!.Headers.ContentEncoding);
        Assert.Equal(random, await request.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void A_released_payloads_blocks_hold_the_next_one_until_the_pool_is_cleared()
    {
        var pool = new HeldBlocks(2 * HeldBlocks.BlockSize);
        var blocks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(pool.Return); // the third is past the bound and let go

        var reused = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();

        Assert.Equal(2, reused.Count(block => blocks.Any(old => ReferenceEquals(old, block))));
        pool.Return(reused[0]);
        pool.Clear();
        Assert.NotSame(reused[0], pool.Rent());
    }

    private static HttpRequestMessage Request(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("http://collector:4318"), path)) { Content = content };
    }

    /// <summary>An ExportTraceServiceRequest: one resource_spans (1), one scope_spans (2), <paramref name="spans"/> spans (2) with a name (5).</summary>
    private static byte[] TraceMessage(int spans)
    {
        var span = Payloads.LengthDelimited(2, Payloads.LengthDelimited(5, "GET /sample"u8.ToArray()));
        return Payloads.LengthDelimited(1, Payloads.LengthDelimited(2, [.. Enumerable.Repeat(span, spans).SelectMany(bytes => bytes)]));
    }

    private static byte[] GrpcFrame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
