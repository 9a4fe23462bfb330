using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using Platform.Discovery.Api.Codecs;

namespace Platform.Discovery.Api;

/// <summary>
/// Reads a bounded (optionally gzipped) JSON or XML body into a JSON tree; too large is a 413, too deeply nested
/// (<c>Eureka:Server:MaxBodyDepth</c>) or malformed a 400.
/// </summary>
internal static class RequestBody
{
    public static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes, int maxDepth, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, Problems.TooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var gzipped = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        var source = gzipped ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                // Counted after decompression too, so a small gzip bomb is refused like a large body.
                if (buffer.Length + read > maxBytes) return (null, Problems.TooLarge(maxBytes));
                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            return (null, Problems.BadRequest("body", "malformed gzip: " + ex.Message));
        }
        finally
        {
            if (gzipped) await source.DisposeAsync();
        }
        if (buffer.Length == 0) return (null, Problems.BadRequest("body", "required"));
        buffer.Position = 0;
        var contentType = request.ContentType ?? "";
        try
        {
            if (contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)) return (XmlToJson.Parse(buffer, maxDepth, maxBytes), null);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            // The JSON reader checks UTF-8 inside strings only when a value is read, long after the parse.
            if (!Utf8.IsValid(bytes)) return (null, Problems.BadRequest("body", "is not valid UTF-8"));
            if (CheckJson(bytes, maxDepth) is { } invalid) return (null, invalid);
            var node = JsonNode.Parse(buffer, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth + 1, AllowDuplicateProperties = false });
            return node is JsonObject o ? (o, null) : (null, Problems.BadRequest("body", "must be a JSON object"));
        }
        catch (BodyTooDeepException ex)
        {
            return (null, Problems.TooDeep(ex));
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest("body", "malformed JSON: " + ex.Message));
        }
        catch (XmlException ex)
        {
            return (null, Problems.BadRequest("body", "malformed XML: " + ex.Message));
        }
    }

    /// <summary>
    /// Walks the tokens once so a deep body is reported against the limit, not as a syntax error, and an escape that
    /// decodes to no valid text (a lone <c>\ud800</c>) is refused here rather than failing when the registry reads it.
    /// </summary>
    private static IResult? CheckJson(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                throw new BodyTooDeepException(maxDepth, $"byte {reader.TokenStartIndex}");
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    return Problems.BadRequest("body", $"byte {reader.TokenStartIndex}: {ex.Message}");
                }
            }
        }
        return null;
    }
}
