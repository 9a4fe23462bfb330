using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Testing.Fuzz;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests <see cref="HttpClient"/> refuses to send: CR/LF or other control
/// characters in a header, spaces or raw bytes in the request target. One request per connection (<c>Connection: close</c>).
/// </summary>
internal static class RawHttp
{
    private const int MaxResponseBytes = 1 << 20;

    /// <summary>True when the request has a character <see cref="HttpClient"/> would reject or re-encode.</summary>
    public static bool Needed(FuzzRequest request) =>
        !IsPlain(request.Method) || request.Method == "CONNECT" || !IsPlain(request.Target) || request.Target.Contains(' ', StringComparison.Ordinal)
        || request.Headers.Any(h => !IsPlain(h.Key) || !IsPlain(h.Value) || h.Key.Length == 0 || h.Key.Contains(':', StringComparison.Ordinal))
        || request.ContentType is { } ct && !IsPlain(ct);

    private static bool IsPlain(string s) => s.All(c => c is >= (char)0x20 and < (char)0x7f);

    public static async Task<FuzzResponse> SendAsync(Uri server, FuzzRequest request, IEnumerable<KeyValuePair<string, string>> defaults, CancellationToken ct)
    {
        var head = new StringBuilder()
            .Append(request.Method).Append(' ').Append(request.Target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n");
        foreach (var (k, v) in defaults.Concat(request.Headers)) head.Append(k).Append(": ").Append(v).Append("\r\n");
        if (request.ContentType is not null) head.Append("Content-Type: ").Append(request.ContentType).Append("\r\n");
        if (request.Body is not null) head.Append("Content-Length: ").Append(request.Body.Length).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");

        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), ct);
        if (request.Body is not null)
        {
            try
            {
                await stream.WriteAsync(request.Body, ct);
            }
            catch (IOException)
            {
                // The server may answer (and close) before it read the whole body; its answer is what counts.
            }
        }
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while (received.Length < MaxResponseBytes && (read = await stream.ReadAsync(buffer, ct)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closing with unread body bytes) still leaves the answer.
        }
        return Parse(received.ToArray());
    }

    private static FuzzResponse Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.Latin1.GetString(bytes, 0, end < 0 ? bytes.Length : end);
        if (!head.StartsWith("HTTP/1.", StringComparison.Ordinal) || end < 0)
            throw new IOException("no HTTP response: " + FuzzRequest.Escape(FuzzRequest.Cut(head, 200)));
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
        var body = bytes.AsSpan(end + 4);
        var chunked = Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        return new FuzzResponse(status, Header("Content-Type"), Encoding.UTF8.GetString(chunked ? Dechunk(body) : body), ViaRawSocket: true);
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        using var body = new MemoryStream();
        while (chunked.Length > 0)
        {
            var eol = chunked.IndexOf("\r\n"u8);
            if (eol < 0) break;
            var sizeText = Encoding.ASCII.GetString(chunked[..eol]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0) break;
            var data = chunked[(eol + 2)..];
            body.Write(data[..Math.Min(size, data.Length)]);
            chunked = data.Length > size + 2 ? data[(size + 2)..] : [];
        }
        return body.ToArray();
    }
}
