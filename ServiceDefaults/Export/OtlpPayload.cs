using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One OTLP export request as the SDK's exporter serialized it, held by <see cref="ExportBuffer"/>
/// until the collector takes it. A payload that failed once is kept gzip-compressed (OTLP
/// receivers accept gzip on both protocols) in <see cref="HeldBlocks"/>, which holds several
/// times more telemetry in the same bytes during an outage.
/// </summary>
internal sealed class OtlpPayload
{
    private const int GrpcFrameHeaderLength = 5;
    private const string GrpcEncodingHeader = "grpc-encoding";
    private const string Gzip = "gzip";

    /// <summary>
    /// zlib's default level: on SampleApi's batches it holds spans 16% and log records 20% smaller
    /// than the fastest level, at about a third of its speed (100+ MB/s), which only runs while the
    /// collector is away or behind.
    /// </summary>
    private const CompressionLevel HeldCompression = CompressionLevel.Optimal;

    private readonly KeyValuePair<string, string[]>[] _headers;
    private readonly KeyValuePair<string, string[]>[] _contentHeaders;
    private byte[] _body;
    private bool _pooled;
    private List<byte[]>? _blocks;
    private HeldBlocks? _blockPool;
    private bool _incompressible;

    private OtlpPayload(Uri uri, bool grpc, OtlpSignal signal, ExportDestination destination, byte[] body, int length, bool pooled,
        KeyValuePair<string, string[]>[] headers, KeyValuePair<string, string[]>[] contentHeaders)
    {
        Uri = uri;
        Destination = destination;
        Grpc = grpc;
        Signal = signal;
        _body = body;
        Length = length;
        _pooled = pooled;
        _headers = headers;
        _contentHeaders = contentHeaders;
        Compressed = grpc ? length > 0 && body[0] == 1 : contentHeaders.Any(h => IsContentEncoding(h.Key) && h.Value.Contains(Gzip));
        Items = OtlpItemCounter.Count(signal, Message());
    }

    public Uri Uri { get; }

    public bool Grpc { get; }

    public OtlpSignal Signal { get; }

    /// <summary>Which of the signal's exporters made it, and so which lane holds it.</summary>
    public ExportDestination Destination { get; }

    /// <summary>Spans, log records or metric data points in this request.</summary>
    public int Items { get; }

    /// <summary>Bytes of the request body.</summary>
    public int Length { get; private set; }

    /// <summary>Bytes of memory this payload holds: the body, or whole blocks once gzipped.</summary>
    public long Footprint => _blocks is { } blocks ? (long)blocks.Count * HeldBlocks.BlockSize : Length;

    public bool Compressed { get; private set; }

    /// <summary>Copies an exporter's request; the exporter reuses its buffer once the send returns.</summary>
    public static OtlpPayload? From(HttpRequestMessage request, ExportDestination destination = ExportDestination.Primary)
    {
        if (request.RequestUri is not { } uri || request.Content is not { } content || OtlpSignalNames.FromPath(uri.AbsolutePath) is not { } signal)
        {
            return null;
        }

        var grpc = content.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        byte[] body;
        int length;
        var pooled = content.Headers.ContentLength is { } known and <= int.MaxValue;
        if (pooled)
        {
            length = (int)content.Headers.ContentLength!.Value;
            body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            using var target = new MemoryStream(body, 0, length, writable: true);
            content.CopyTo(target, null, CancellationToken.None);
        }
        else
        {
            using var target = new MemoryStream();
            content.CopyTo(target, null, CancellationToken.None);
            body = target.ToArray();
            length = body.Length;
        }

        return new OtlpPayload(uri, grpc, signal, destination, body, length, pooled,
            [.. request.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]))],
            [.. content.Headers.Where(h => h.Key != "Content-Length").Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]))]);
    }

    /// <summary>A fresh request for one delivery attempt.</summary>
    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Uri)
        {
            Version = Grpc ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
            VersionPolicy = Grpc ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
            Content = _blocks is { } blocks ? new HeldBlocks.Content(blocks, Length) : new ByteArrayContent(_body, 0, Length),
        };
        foreach (var (name, values) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (name, values) in _contentHeaders)
        {
            request.Content.Headers.TryAddWithoutValidation(name, values);
        }

        if (Compressed && Grpc)
        {
            request.Headers.Remove(GrpcEncodingHeader);
            request.Headers.TryAddWithoutValidation(GrpcEncodingHeader, Gzip);
        }
        else if (Compressed && !request.Content.Headers.ContentEncoding.Contains(Gzip))
        {
            request.Content.Headers.ContentEncoding.Add(Gzip);
        }

        return request;
    }

    /// <summary>
    /// Gzips the body into blocks of <paramref name="pool"/>, unless it already is gzipped or the
    /// blocks would take more memory than the body (then it is held as it is); returns the bytes saved.
    /// </summary>
    public long Compress(HeldBlocks pool)
    {
        if (Compressed || _incompressible)
        {
            return 0;
        }

        var before = Footprint;
        var output = new HeldBlocks.Writer(pool, maxBlocks: Length / HeldBlocks.BlockSize);
        try
        {
            output.Write(Grpc ? stackalloc byte[GrpcFrameHeaderLength] : []);
            using var gzip = new GZipStream(output, HeldCompression, leaveOpen: true);
            gzip.Write(Message());
        }
        catch (NotSupportedException)
        {
            output.Abandon(); // out of blocks: gzip would not save memory
            _incompressible = true;
            return 0;
        }

        if (Grpc)
        {
            output.Blocks[0][0] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(output.Blocks[0].AsSpan(1), (uint)(output.Written - GrpcFrameHeaderLength));
        }

        Release();
        (_body, _blocks, _blockPool, Length, Compressed) = ([], output.Blocks, pool, output.Written, true);
        return before - Footprint;
    }

    /// <summary>Gives a pooled body or held blocks back; the payload must not be sent afterwards.</summary>
    public void Release()
    {
        if (_pooled)
        {
            _pooled = false;
            ArrayPool<byte>.Shared.Return(_body);
            _body = [];
        }

        if (_blocks is { } blocks)
        {
            _blocks = null;
            blocks.ForEach(_blockPool!.Return);
        }
    }

    /// <summary>The serialized Export*ServiceRequest, uncompressed (a gRPC body is one framed message).</summary>
    private ReadOnlySpan<byte> Message()
    {
        var body = _body.AsSpan(0, Length);
        if (Grpc)
        {
            body = body.Length >= GrpcFrameHeaderLength ? body[GrpcFrameHeaderLength..] : [];
        }

        return Compressed ? Gunzip(body) : body;
    }

    private static byte[] Gunzip(ReadOnlySpan<byte> compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return []; // not gzip after all: counted as zero items, still delivered as sent
        }
    }

    private static bool IsContentEncoding(string header) => string.Equals(header, "Content-Encoding", StringComparison.OrdinalIgnoreCase);
}
