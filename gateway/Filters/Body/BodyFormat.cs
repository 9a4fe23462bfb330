using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// The body formats ModifyRequestBody and ModifyResponseBody read (<c>from</c>) and write (<c>to</c>): <c>json</c>, or
/// <c>form</c> (<c>application/x-www-form-urlencoded</c>: one field per parameter, a repeated one an array of strings;
/// written back, a non-string value is its JSON text).
/// </summary>
internal enum BodyFormat { Json, Form }

internal static class BodyFormats
{
    public static BodyFormat Parse(ComponentArgs args, string name) => args.Find(name)?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" or "application/json" => BodyFormat.Json,
        "form" or "application/x-www-form-urlencoded" => BodyFormat.Form,
        var other => throw new GatewayArgumentException(name, $"'{other}' is not json or form"),
    };

    public static string ContentType(BodyFormat format) =>
        format == BodyFormat.Form ? "application/x-www-form-urlencoded" : "application/json";

    /// <summary>The body as a JSON node, or null with <paramref name="error"/> set when it is not in <paramref name="format"/>.</summary>
    public static JsonNode? Decode(byte[] body, BodyFormat format, out string? error)
    {
        error = null;
        try
        {
            if (format == BodyFormat.Json) return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body);
            var obj = new JsonObject();
            foreach (var (key, values) in QueryHelpers.ParseQuery(new UTF8Encoding(false, true).GetString(body)))
                obj[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            return obj;
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            error = format == BodyFormat.Json ? $"not JSON: {ex.Message}" : "not UTF-8 form data";
            return null;
        }
    }

    public static byte[] Encode(JsonNode? node, BodyFormat format)
    {
        if (format == BodyFormat.Json) return Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");
        var text = new StringBuilder();
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                foreach (var item in value is JsonArray array ? array.ToArray() : [value])
                {
                    if (text.Length > 0) text.Append('&');
                    text.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(Text(item)));
                }
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
