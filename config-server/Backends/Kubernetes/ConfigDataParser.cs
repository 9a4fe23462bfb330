using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Limits;
using YamlDotNet.Core;

namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>
/// The properties of a ConfigMap's or Secret's data, one path for both: a key named like a file
/// (<c>application.yml</c>, <c>orders.properties</c>) is parsed as that file, any other key is one property. Every entry
/// is held to the <see cref="DocumentLimitsOptions"/> bounds. For Secrets (<paramref name="sensitive"/>) a document that
/// cannot be parsed is reported by where it broke only: parser messages quote the text they choked on.
/// </summary>
internal static class ConfigDataParser
{
    /// <param name="location">How errors name the object, e.g. <c>secret team-a/orders</c>; each key is appended as <c>data.KEY</c>.</param>
    public static OrderedDictionary<string, object?> Parse(string location, IEnumerable<KeyValuePair<string, string>> data, string profile,
        DocumentLimitsOptions limits, bool sensitive)
    {
        var properties = new OrderedDictionary<string, object?>();
        foreach (var (key, text) in data)
        {
            var where = $"{location} data.{key}";
            if (FolderPropertyLoader.Extensions.Contains(Path.GetExtension(key), StringComparer.OrdinalIgnoreCase))
            {
                foreach (var (k, v) in ParseDocument(where, text, profile, limits, sensitive)) properties[k] = v;
            }
            else
            {
                PropertyFileParser.CheckSize(where, Encoding.UTF8.GetByteCount(text), limits);
                properties[key] = text;
            }
        }
        return properties;
    }

    private static OrderedDictionary<string, object?> ParseDocument(string where, string text, string profile, DocumentLimitsOptions limits, bool sensitive)
    {
        try
        {
            return PropertyFileParser.Parse(where, text, [profile], limits);
        }
        catch (InvalidDataException ex) when (sensitive)
        {
            // Without the inner exception: logging this one must not print the parser's quote either.
            throw new InvalidDataException($"{where}: {Unparsable(where, ex.InnerException)}");
        }
    }

    private static string Unparsable(string where, Exception? parserError)
    {
        var format = Path.GetExtension(where).ToLowerInvariant() switch { ".properties" => "properties", ".json" => "JSON", _ => "YAML" };
        var at = parserError switch
        {
            YamlException y => $" (line {y.Start.Line}, column {y.Start.Column})",
            JsonException { LineNumber: { } line } j => $" (line {line + 1}, byte {j.BytePositionInLine + 1})",
            _ => "",
        };
        return $"not a valid {format} document{at}";
    }
}
