using System.Text;
using System.Text.Json;

namespace Platform.ConfigServer.Limits;

/// <summary>
/// Checks a JSON text's nesting with the forward-only reader before it is parsed into a document, so the limit
/// names its key and line instead of surfacing as a generic syntax error.
/// </summary>
internal static class JsonLimitScanner
{
    public static void Check(string text, string location, DocumentLimitsOptions limits)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // The reader's own depth limit is set one level past ours so that ours is the one reported.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth + 1,
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= limits.MaxDepth)
                throw new DocumentLimitException(nameof(limits.MaxDepth), $"{location} byte {reader.TokenStartIndex}",
                    $"JSON nested deeper than {limits.MaxDepth} levels");
        }
    }
}
