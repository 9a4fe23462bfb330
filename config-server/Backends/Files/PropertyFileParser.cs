using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.ConfigServer.Backends.Files;

/// <summary>
/// Reads <c>.properties</c>, <c>.yml</c>/<c>.yaml</c> and <c>.json</c> files into flat Spring property names
/// (<c>a.b[0].c</c>) in file order. YAML documents activated for other profiles
/// (<c>spring.config.activate.on-profile</c> or the older <c>spring.profiles</c>) are left out.
/// </summary>
internal static class PropertyFileParser
{
    public static OrderedDictionary<string, object?> Parse(string path, string text, IReadOnlyList<string> profiles)
    {
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".properties" => JavaProperties.Parse(text),
                ".json" => ParseJson(text),
                _ => ParseYaml(text, profiles),
            };
        }
        catch (Exception ex) when (ex is YamlException or JsonException or FormatException)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private static OrderedDictionary<string, object?> ParseYaml(string text, IReadOnlyList<string> profiles)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var result = new OrderedDictionary<string, object?>();
        foreach (var doc in stream.Documents)
        {
            var flat = new OrderedDictionary<string, object?>();
            FlattenYaml(doc.RootNode, "", flat);
            var activation = flat.GetValueOrDefault("spring.config.activate.on-profile") ?? flat.GetValueOrDefault("spring.profiles");
            if (activation is not null && !MatchesProfile(activation.ToString()!, profiles)) continue;
            foreach (var (k, v) in flat) result[k] = v;
        }
        return result;
    }

    private static bool MatchesProfile(string expression, IReadOnlyList<string> profiles)
    {
        foreach (var raw in expression.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = raw.StartsWith('!');
            var name = negate ? raw[1..] : raw;
            if (profiles.Contains(name) != negate) return true;
        }
        return false;
    }

    private static void FlattenYaml(YamlNode node, string prefix, OrderedDictionary<string, object?> into)
    {
        switch (node)
        {
            case YamlMappingNode map:
                if (map.Children.Count == 0 && prefix.Length > 0) into[prefix] = "";
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    FlattenYaml(value, prefix.Length == 0 ? name : $"{prefix}.{name}", into);
                }
                break;
            case YamlSequenceNode seq:
                if (seq.Children.Count == 0 && prefix.Length > 0) into[prefix] = "";
                for (var i = 0; i < seq.Children.Count; i++) FlattenYaml(seq.Children[i], $"{prefix}[{i}]", into);
                break;
            case YamlScalarNode scalar:
                if (prefix.Length > 0) into[prefix] = TypedScalar(scalar);
                break;
        }
    }

    /// <summary>Plain (unquoted) YAML scalars keep their YAML type, as SnakeYAML gives them to Spring.</summary>
    private static object? TypedScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return value;
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return "";
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (value.Any(char.IsDigit) && !value.StartsWith('.') &&
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        return value;
    }

    private static OrderedDictionary<string, object?> ParseJson(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var result = new OrderedDictionary<string, object?>();
        FlattenJson(doc.RootElement, "", result);
        return result;
    }

    private static void FlattenJson(JsonElement e, string prefix, OrderedDictionary<string, object?> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) FlattenJson(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) FlattenJson(item, $"{prefix}[{i++}]", into);
                break;
            case JsonValueKind.String: into[prefix] = e.GetString(); break;
            case JsonValueKind.Number: into[prefix] = e.TryGetInt64(out var l) ? l : e.GetDouble(); break;
            case JsonValueKind.True: into[prefix] = true; break;
            case JsonValueKind.False: into[prefix] = false; break;
            default: into[prefix] = ""; break;
        }
    }
}
