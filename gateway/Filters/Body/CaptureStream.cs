namespace Platform.Gateway.Filters.Body;

/// <summary>
/// Stands in for the response body while a filter rewrites it: keeps up to <c>limit</c> bytes and nothing is sent to
/// the client. Past the limit it stops keeping (and reports <see cref="Overflowed"/>) so memory stays bounded.
/// </summary>
internal sealed class CaptureStream(long limit) : Stream
{
    private readonly MemoryStream _kept = new();

    public bool Overflowed { get; private set; }

    public byte[] Captured() => _kept.ToArray();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Keep(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (Overflowed) return;
        if (_kept.Length + data.Length > limit)
        {
            Overflowed = true;
            _kept.SetLength(0);
            return;
        }
        _kept.Write(data);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _kept.Dispose();
        base.Dispose(disposing);
    }
}
