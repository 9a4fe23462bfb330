using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Environment;
using YamlDotNet.Serialization;

namespace Platform.ConfigServer.Formats;

/// <summary>The file-style outputs (<c>/{app}-{profile}.yml</c> ...): the merged properties as one document.</summary>
internal static class FileFormatter
{
    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static (string Text, string ContentType) Format(string extension, OrderedDictionary<string, object?> merged) =>
        extension switch
        {
            "properties" => (Properties(merged), "text/plain; charset=utf-8"),
            "json" => (JsonSerializer.Serialize(NestedTree.Build(merged), Json), "application/json; charset=utf-8"),
            _ => (Yaml.Serialize(NestedTree.Build(merged)), "text/plain; charset=utf-8"),
        };

    /// <summary>Spring writes <c>key: value</c> lines; line breaks in values are escaped so each property stays on one line.</summary>
    private static string Properties(OrderedDictionary<string, object?> merged)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in merged)
        {
            var text = value is null ? "" : PlaceholderResolver.Format(value);
            sb.Append(key).Append(": ").Append(text.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)).Append('\n');
        }
        return sb.ToString();
    }
}
