using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Limits;
using Platform.Parsing.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.ConfigServer.Backends.Files;

/// <summary>
/// Reads <c>.properties</c>, <c>.yml</c>/<c>.yaml</c> and <c>.json</c> files into flat Spring property names
/// (<c>a.b[0].c</c>) in file order. YAML documents activated for other profiles
/// (<c>spring.config.activate.on-profile</c> or the older <c>spring.profiles</c>) are left out. Every file is checked
/// against <see cref="DocumentLimitsOptions"/> before a tree is built; a breach is a <see cref="DocumentLimitException"/>.
/// </summary>
internal static class PropertyFileParser
{
    public static OrderedDictionary<string, object?> Parse(string path, string text, IReadOnlyList<string> profiles, DocumentLimitsOptions limits)
    {
        CheckSize(path, text.Length <= limits.MaxDocumentBytes / 3 ? text.Length : Encoding.UTF8.GetByteCount(text), limits);
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".properties" => JavaProperties.Parse(text),
                ".json" => ParseJson(path, text, limits),
                _ => ParseYaml(path, text, profiles, limits),
            };
        }
        // YamlDotNet's scanner also throws InvalidOperationException on some malformed input (an unclosed flow sequence
        // followed by a flow mapping), and a mapping key that is not a scalar fails the flattener's cast.
        catch (Exception ex) when (ex is YamlException or JsonException or FormatException or InvalidOperationException or InvalidCastException
            && ex is not DocumentLimitException)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Refuses a document over <see cref="DocumentLimitsOptions.MaxDocumentBytes"/>; callers that know the size check before reading.</summary>
    public static void CheckSize(string path, long bytes, DocumentLimitsOptions limits)
    {
        if (bytes > limits.MaxDocumentBytes)
            throw new DocumentLimitException(nameof(limits.MaxDocumentBytes), path, $"{bytes} bytes, more than {limits.MaxDocumentBytes}");
    }

    private static OrderedDictionary<string, object?> ParseYaml(string path, string text, IReadOnlyList<string> profiles, DocumentLimitsOptions limits)
    {
        CheckYaml(path, text, limits);
        var budget = new FlattenBudget(path, limits);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var result = new OrderedDictionary<string, object?>();
        foreach (var doc in stream.Documents)
        {
            var flat = new OrderedDictionary<string, object?>();
            FlattenYaml(doc.RootNode, "", flat, budget);
            var activation = flat.GetValueOrDefault("spring.config.activate.on-profile") ?? flat.GetValueOrDefault("spring.profiles");
            if (activation is not null && !MatchesProfile(activation.ToString()!, profiles)) continue;
            foreach (var (k, v) in flat) result[k] = v;
        }
        return result;
    }

    private static void CheckYaml(string path, string text, DocumentLimitsOptions limits)
    {
        try
        {
            YamlLimits.Check(text, new YamlBudget(limits.MaxDepth, limits.MaxYamlAliases, limits.MaxYamlNodes));
        }
        catch (YamlLimitExceededException ex)
        {
            var limit = ex.Limit switch
            {
                YamlLimit.Aliases => nameof(limits.MaxYamlAliases),
                YamlLimit.Nodes => nameof(limits.MaxYamlNodes),
                _ => nameof(limits.MaxDepth),
            };
            throw new DocumentLimitException(limit, $"{path} line {ex.Line}", ex.Reason);
        }
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

    private static void FlattenYaml(YamlNode node, string prefix, OrderedDictionary<string, object?> into, FlattenBudget budget)
    {
        switch (node)
        {
            case YamlMappingNode map:
                if (map.Children.Count == 0 && prefix.Length > 0) Put(into, prefix, "", budget);
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    FlattenYaml(value, prefix.Length == 0 ? name : $"{prefix}.{name}", into, budget);
                }
                break;
            case YamlSequenceNode seq:
                if (seq.Children.Count == 0 && prefix.Length > 0) Put(into, prefix, "", budget);
                for (var i = 0; i < seq.Children.Count; i++) FlattenYaml(seq.Children[i], $"{prefix}[{i}]", into, budget);
                break;
            case YamlScalarNode scalar:
                if (prefix.Length > 0) Put(into, prefix, TypedScalar(scalar), budget);
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

    private static OrderedDictionary<string, object?> ParseJson(string path, string text, DocumentLimitsOptions limits)
    {
        JsonLimitScanner.Check(text, path, limits);
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = limits.MaxDepth + 1 });
        var result = new OrderedDictionary<string, object?>();
        FlattenJson(doc.RootElement, "", result, new FlattenBudget(path, limits));
        return result;
    }

    private static void FlattenJson(JsonElement e, string prefix, OrderedDictionary<string, object?> into, FlattenBudget budget)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) FlattenJson(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into, budget);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) FlattenJson(item, $"{prefix}[{i++}]", into, budget);
                break;
            case JsonValueKind.String: Put(into, prefix, e.GetString(), budget); break;
            case JsonValueKind.Number: Put(into, prefix, e.TryGetInt64(out var l) ? l : e.GetDouble(), budget); break;
            case JsonValueKind.True: Put(into, prefix, true, budget); break;
            case JsonValueKind.False: Put(into, prefix, false, budget); break;
            default: Put(into, prefix, "", budget); break;
        }
    }

    private static void Put(OrderedDictionary<string, object?> into, string name, object? value, FlattenBudget budget)
    {
        budget.Charge(name, value);
        into[name] = value;
    }
}
