using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>
/// One unary gRPC call: HTTP/2 POST of a length-prefixed message (h2c to an <c>http://</c> destination, TLS with
/// ALPN to <c>https://</c>), the reply's message and its <c>grpc-status</c>/<c>grpc-message</c> (trailers, or the
/// headers of a trailers-only answer).
/// </summary>
internal static class GrpcUnaryCall
{
    private static readonly HttpMessageInvoker Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>The outcome; <see cref="Message"/> is null unless <see cref="Status"/> is 0.</summary>
    public sealed record Reply(int Status, string? Detail, byte[]? Message);

    /// <exception cref="HttpRequestException">The destination cannot be reached or does not speak HTTP/2.</exception>
    /// <exception cref="GrpcProtocolException">The answer is not gRPC, or its message is larger than <paramref name="maxSize"/>.</exception>
    /// <param name="timeout">Sent as <c>grpc-timeout</c> (the server's deadline); the caller cancels <paramref name="ct"/> when it passes.</param>
    public static async Task<Reply> SendAsync(Uri address, string fullMethod, byte[] message, long maxSize, TimeSpan? timeout, CancellationToken ct)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/" + fullMethod))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "identity");
        if (timeout is { } t) request.Headers.TryAddWithoutValidation("grpc-timeout", $"{Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds))}m");
        using var response = await Client.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new GrpcProtocolException($"the destination answered HTTP {(int)response.StatusCode}, not a gRPC reply");
        // A trailers-only answer (an error before any message) carries the status in its headers.
        if (Header(response.Headers, "grpc-status") is { } early && int.TryParse(early, out var earlyStatus) && earlyStatus != 0)
            return new Reply(earlyStatus, Decode(Header(response.Headers, "grpc-message")), null);
        if (response.Content.Headers.ContentType?.MediaType is not { } type || !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
            throw new GrpcProtocolException($"the destination answered {response.Content.Headers.ContentType?.ToString() ?? "no content type"}, not application/grpc");
        var body = await ReadMessageAsync(await response.Content.ReadAsStreamAsync(ct), maxSize, ct);
        var status = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status");
        if (status is null || !int.TryParse(status, out var code)) throw new GrpcProtocolException("the reply has no grpc-status");
        if (code != 0) return new Reply(code, Decode(Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message")), null);
        return new Reply(0, null, body ?? throw new GrpcProtocolException("the reply has grpc-status 0 but no message"));
    }

    /// <summary>The first length-prefixed message, or null when the body is empty; nothing past <paramref name="maxSize"/> is held.</summary>
    private static async Task<byte[]?> ReadMessageAsync(Stream body, long maxSize, CancellationToken ct)
    {
        var header = new byte[5];
        var read = await body.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, ct);
        if (read == 0) return null;
        if (read < 5) throw new GrpcProtocolException("the reply ends inside a message header");
        if (header[0] != 0) throw new GrpcProtocolException("the reply is compressed; the gateway asks for identity");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > maxSize) throw new GrpcProtocolException($"the reply's message is {length} bytes, more than maxSize {maxSize}");
        var message = new byte[length];
        try { await body.ReadExactlyAsync(message, ct); }
        catch (EndOfStreamException) { throw new GrpcProtocolException("the reply ends inside its message"); }
        // Read to the end so the trailers arrive; a unary method sends one message, so little is left (bounded all the same).
        var rest = new byte[4096];
        long extra = 0;
        int n;
        while ((n = await body.ReadAsync(rest, ct)) > 0)
        {
            if ((extra += n) > maxSize) throw new GrpcProtocolException($"the reply goes on past its message for more than {maxSize} bytes");
        }
        return message;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary><c>grpc-message</c> is percent-encoded UTF-8.</summary>
    private static string? Decode(string? value) => value is null ? null : Uri.UnescapeDataString(value);
}
