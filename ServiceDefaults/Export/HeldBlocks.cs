using System.Net;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The fixed-size blocks that hold gzipped telemetry while the collector is away, recycled: the
/// blocks of a payload delivered or evicted hold the next one, so an outage at the buffer's bound
/// allocates nothing new and leaves no garbage behind for the GC to keep resident. A block is
/// smaller than the large object heap's threshold. Free blocks are kept up to the buffer's bound,
/// and all of them are let go once the buffer is empty again.
/// </summary>
internal sealed class HeldBlocks(long maxBytes)
{
    /// <summary>
    /// 4 KiB, a memory page: a payload's last block is on average half empty, which is 12% of a
    /// SampleApi batch of 512 (the SDK's batch size) held gzipped, and 3% of one of 2048.
    /// </summary>
    public const int BlockSize = 4 * 1024;

    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _free = new();
    private readonly long _maxFree = maxBytes / BlockSize;

    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var block))
            {
                return block;
            }
        }

        return new byte[BlockSize];
    }

    public void Return(byte[] block)
    {
        lock (_lock)
        {
            if (_free.Count < _maxFree)
            {
                _free.Push(block);
            }
        }
    }

    /// <summary>Lets every free block go: called when nothing is held, so an outage's memory is not kept after it.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _free.Clear();
        }
    }

    /// <summary>A write-only stream into blocks, refusing to take more than <paramref name="maxBlocks"/>.</summary>
    public sealed class Writer(HeldBlocks pool, int maxBlocks) : Stream
    {
        public List<byte[]> Blocks { get; } = [];

        public int Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var offset = Written % BlockSize;
                if (offset == 0)
                {
                    if (Blocks.Count == maxBlocks)
                    {
                        throw new NotSupportedException($"More than {maxBlocks} blocks.");
                    }

                    Blocks.Add(pool.Rent());
                }

                var count = Math.Min(buffer.Length, BlockSize - offset);
                buffer[..count].CopyTo(Blocks[^1].AsSpan(offset));
                buffer = buffer[count..];
                Written += count;
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <summary>Gives the blocks back, when what was written is not kept.</summary>
        public void Abandon()
        {
            Blocks.ForEach(pool.Return);
            Blocks.Clear();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The first <paramref name="bodyLength"/> bytes of <paramref name="blocks"/> as a request body.</summary>
    public sealed class Content(IReadOnlyList<byte[]> blocks, int bodyLength) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var remaining = bodyLength;
            foreach (var block in blocks)
            {
                var count = Math.Min(remaining, BlockSize);
                await stream.WriteAsync(block.AsMemory(0, count), cancellationToken);
                remaining -= count;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bodyLength;
            return true;
        }
    }
}
