using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Testing.Fuzz;

/// <summary>Mutations of a real JSON body: in the tree (wrong types, removed or added fields) and in the text.</summary>
public sealed partial class Mutator
{
    /// <summary>
    /// A mutated copy of <paramref name="json"/> as bytes: tree mutations most of the time, otherwise truncation,
    /// duplicate keys, enormous number literals, deep nesting, invalid UTF-8, trailing garbage or random bytes.
    /// </summary>
    public byte[] JsonBody(string json) => _rng.Next(12) switch
    {
        <= 4 => Encoding.UTF8.GetBytes(MutateJsonTree(json)),
        5 => Encoding.UTF8.GetBytes(Truncate(json)),
        6 => Encoding.UTF8.GetBytes(DuplicateKeys(json)),
        7 => Encoding.UTF8.GetBytes(EnormousLiteral(json)),
        8 => Encoding.UTF8.GetBytes(DeepJson(_rng.Next(65, 5000), OneIn(2))),
        9 => InvalidUtf8(json),
        10 => Encoding.UTF8.GetBytes(json + Pick("}", "]", ",", "{}", " garbage", "\u0000", "//c", "\n{\"second\":1}")),
        _ => RandomBytes(),
    };

    /// <summary>1 to 3 edits in the parsed tree: a field removed, or replaced with a value of another kind.</summary>
    public string MutateJsonTree(string json)
    {
        var root = JsonNode.Parse(json)!;
        var mutations = _rng.Next(1, 4);
        for (var i = 0; i < mutations; i++)
        {
            var (parent, key, index) = RandomSlot(root);
            if (parent is null) return (RandomJson(0) ?? JsonValue.Create(0)).ToJsonString();
            if (OneIn(4))
            {
                if (parent is JsonObject o && key is not null) o.Remove(key);
                else if (parent is JsonArray a && index >= 0) a.RemoveAt(index);
            }
            else if (parent is JsonObject o2 && key is not null) o2[key] = RandomJson(0);
            else if (parent is JsonArray a2 && index >= 0) a2[index] = RandomJson(0);
        }
        return root.ToJsonString();
    }

    private (JsonNode? Parent, string? Key, int Index) RandomSlot(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode n)
        {
            if (n is JsonObject o) foreach (var (k, v) in o.ToList()) { slots.Add((o, k, -1)); if (v is not null) Walk(v); }
            if (n is JsonArray a) for (var i = 0; i < a.Count; i++) { slots.Add((a, null, i)); if (a[i] is { } v) Walk(v); }
        }
        Walk(root);
        return slots.Count == 0 ? (null, null, -1) : slots[_rng.Next(slots.Count)];
    }

    /// <summary>A JSON value of any kind: null, numbers near and past the limits, booleans, odd strings, small arrays and objects.</summary>
    public JsonNode? RandomJson(int depth) => _rng.Next(depth > 2 ? 8 : 10) switch
    {
        0 => null,
        1 => JsonValue.Create(_rng.Next(-100000, 100000)),
        2 => JsonValue.Create(_rng.NextDouble() * 1e30),
        3 => JsonValue.Create(OneIn(2)),
        4 => JsonValue.Create(HugeString()),
        5 => JsonValue.Create(Pick("-1", "", "0", "1e400", "null")),
        6 => JsonValue.Create("\u0000\uffff✓ ünïcødé\r\n"),
        7 => JsonValue.Create(WeirdScalar()),
        8 => new JsonArray(RandomJson(depth + 1), RandomJson(depth + 1)),
        _ => new JsonObject { ["k" + _rng.Next(10)] = RandomJson(depth + 1), ["name"] = RandomJson(depth + 1), ["ü✓\u0001" + _rng.Next(10)] = 1 },
    };

    /// <summary>One object's first property repeated up front with another value (<c>{"a":"x","a":1}</c>).</summary>
    public string DuplicateKeys(string json)
    {
        var starts = Enumerable.Range(0, Math.Max(0, json.Length - 1)).Where(i => json[i] == '{' && json[i + 1] == '"').ToList();
        if (starts.Count == 0) return json;
        var at = PickFrom(starts);
        var close = json.IndexOf("\":", at + 2, StringComparison.Ordinal);
        if (close < 0) return json;
        return json.Insert(at + 1, json[(at + 1)..(close + 1)] + ":" + Pick("null", "1e400", "\"dup\"", "[]", "{}", "true") + ",");
    }

    /// <summary>A number literal in the text replaced with one no integer or double holds, or with a non-JSON literal.</summary>
    public string EnormousLiteral(string json)
    {
        var numbers = Enumerable.Range(1, Math.Max(0, json.Length - 1)).Where(i => (char.IsAsciiDigit(json[i]) || json[i] == '-') && json[i - 1] is ':' or '[' or ',').ToList();
        var literal = Pick("1e400", "-1e400", "99999999999999999999999999999999999999", "NaN", "Infinity", "0x10", "01", "1.", ".5", "-", "1e", Digits(400));
        if (numbers.Count == 0) return json.Insert(json.Length / 2, literal);
        var at = PickFrom(numbers);
        var end = at + 1;
        while (end < json.Length && (char.IsAsciiDigit(json[end]) || json[end] is '.' or 'e' or 'E' or '-' or '+')) end++;
        return json[..at] + literal + json[end..];
    }

    /// <summary>Objects or arrays nested <paramref name="depth"/> deep.</summary>
    public static string DeepJson(int depth, bool objects)
    {
        var sb = new StringBuilder(depth * 6);
        if (objects)
        {
            for (var i = 0; i < depth; i++) sb.Append("{\"a\":");
            sb.Append('1').Append('}', depth);
        }
        else
        {
            sb.Append('[', depth).Append('1').Append(']', depth);
        }
        return sb.ToString();
    }
}
