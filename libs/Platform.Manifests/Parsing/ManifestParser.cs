using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.Manifests.Parsing;

/// <summary>
/// Reads YAML (one or many documents) or JSON manifests into JSON trees. Built on parser events with an explicit
/// stack so a hostile nesting depth is refused instead of overflowing the call stack; aliases are refused so a
/// small document cannot expand into a huge one. The one reader of the apiserver, platformctl and the node agent.
/// </summary>
public static partial class ManifestParser
{
    public const int MaxDepth = 64;

    /// <summary>
    /// How a JSON body is read: bounded in depth, and a repeated key is a syntax error as it is in YAML (a lazily built
    /// <see cref="JsonObject"/> would otherwise throw on first use, far from the parse).
    /// </summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Every non-empty document of a YAML stream (JSON is YAML too).</summary>
    public static List<JsonNode> ParseYamlDocuments(string text)
    {
        var docs = new List<JsonNode>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var node = ReadNode(parser);
                parser.Consume<DocumentEnd>();
                if (node is not null) docs.Add(node);
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException ex)
        {
            throw new ManifestException(Inner(ex).Message, ex.Start.Line, ex.Start.Column);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some malformed streams this way instead of with a YamlException.
            var at = parser.Current?.End;
            throw new ManifestException($"malformed YAML ({ex.Message})", at?.Line ?? 1, at?.Column ?? 1);
        }
        return docs;
    }

    /// <summary>
    /// Exactly one object, from JSON when <paramref name="contentType"/> says json (or the text starts with '{'), else YAML.
    /// </summary>
    public static JsonObject ParseObject(string text, string? contentType)
    {
        var json = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase)
            ?? text.AsSpan().TrimStart().StartsWith("{");
        if (json && !(contentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            try
            {
                var node = JsonNode.Parse(text, documentOptions: JsonOptions);
                return node as JsonObject ?? throw new ManifestException("expected a JSON object", 1, 1);
            }
            catch (JsonException ex)
            {
                throw new ManifestException(ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0], (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1);
            }
        }
        var docs = ParseYamlDocuments(text);
        if (docs.Count != 1) throw new ManifestException(docs.Count == 0 ? "the body is empty" : $"expected one document, found {docs.Count}", 1, 1);
        return docs[0] as JsonObject ?? throw new ManifestException("expected a mapping (an object with apiVersion, kind, metadata ...)", 1, 1);
    }

    private static JsonNode? ReadNode(IParser parser)
    {
        // Explicit stack of open containers; a pending mapping key waits for its value.
        var stack = new Stack<(JsonNode Container, string? Key)>();
        JsonNode? root = null;
        if (parser.Current is DocumentEnd) return null;
        do
        {
            var ev = parser.Current ?? throw new ManifestException("unexpected end of document", 0, 0);
            parser.MoveNext();
            JsonNode? value;
            switch (ev)
            {
                case AnchorAlias a:
                    throw new ManifestException("YAML aliases (*name) are not supported", a.Start.Line, a.Start.Column);
                case Scalar s when stack.Count > 0 && stack.Peek().Container is JsonObject && stack.Peek().Key is null:
                    var (obj, _) = stack.Pop();
                    if (((JsonObject)obj).ContainsKey(s.Value)) throw new ManifestException($"duplicate key '{s.Value}'", s.Start.Line, s.Start.Column);
                    stack.Push((obj, s.Value));
                    continue;
                case Scalar s:
                    value = ScalarValue(s);
                    break;
                case MappingStart m:
                    if (stack.Count >= MaxDepth) throw new ManifestException($"nesting deeper than {MaxDepth} levels", m.Start.Line, m.Start.Column);
                    if (stack.Count > 0 && stack.Peek().Container is JsonObject && stack.Peek().Key is null)
                        throw new ManifestException("mapping keys must be scalars", m.Start.Line, m.Start.Column);
                    stack.Push((new JsonObject(), null));
                    continue;
                case SequenceStart q:
                    if (stack.Count >= MaxDepth) throw new ManifestException($"nesting deeper than {MaxDepth} levels", q.Start.Line, q.Start.Column);
                    if (stack.Count > 0 && stack.Peek().Container is JsonObject && stack.Peek().Key is null)
                        throw new ManifestException("mapping keys must be scalars", q.Start.Line, q.Start.Column);
                    stack.Push((new JsonArray(), null));
                    continue;
                case MappingEnd or SequenceEnd:
                    value = stack.Pop().Container;
                    break;
                default:
                    throw new ManifestException($"unexpected {ev.GetType().Name}", ev.Start.Line, ev.Start.Column);
            }
            if (stack.Count == 0)
            {
                root = value;
                break;
            }
            var (container, key) = stack.Pop();
            if (container is JsonArray arr)
            {
                arr.Add(value);
                stack.Push((arr, null));
            }
            else
            {
                ((JsonObject)container)[key!] = value;
                stack.Push((container, null));
            }
        } while (true);
        return root;
    }

    private static JsonNode? ScalarValue(Scalar s)
    {
        var v = s.Value;
        if (s.Style is not ScalarStyle.Plain || (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value is "tag:yaml.org,2002:str" or "!!str")) return JsonValue.Create(v);
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    private static Exception Inner(Exception ex) => ex.InnerException is YamlException inner ? Inner(inner) : ex;

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
