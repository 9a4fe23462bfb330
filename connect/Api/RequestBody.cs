using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.Connect.Runtime;

namespace Platform.Connect.Api;

/// <summary>
/// Reads a JSON request body within <c>Connect:MaxBodyBytes</c> and <c>Connect:MaxBodyDepth</c>; anything else is a 400
/// (413 when too large) naming what was wrong, never a 500.
/// </summary>
internal sealed class RequestBody(IOptions<ConnectOptions> options)
{
    public async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken token)
    {
        var o = options.Value;
        if (request.ContentLength > o.MaxBodyBytes) throw TooLarge(o.MaxBodyBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > o.MaxBodyBytes) throw TooLarge(o.MaxBodyBytes);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw new ConnectRestException(400, "Request body is required");
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = o.MaxBodyDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ConnectRestException(400, "Request body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>A connector configuration: an object of strings (numbers and booleans are taken as their text, as Jackson does).</summary>
    public static Dictionary<string, string> Config(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new ConnectRestException(400, $"{where}: must be a JSON object of string values");
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            config[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                _ => throw new ConnectRestException(400, $"{where}.{p.Name}: must be a string, not {p.Value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }
        return config;
    }

    private static ConnectRestException TooLarge(int max) => new(413, $"Request body is larger than {max} bytes (Connect:MaxBodyBytes)");
}
