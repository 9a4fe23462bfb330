using System.Text.RegularExpressions;

namespace Platform.ConfigServer.Formats;

/// <summary>Turns flat Spring names (<c>a.b[0].c</c>) back into nested maps and lists for YAML and JSON output.</summary>
internal static partial class NestedTree
{
    public static Dictionary<string, object?> Build(IEnumerable<KeyValuePair<string, object?>> flat)
    {
        var root = new Dictionary<string, object?>();
        foreach (var (key, value) in flat) Insert(root, Segments(key), value);
        return Compact(root) as Dictionary<string, object?> ?? root;
    }

    private static List<object> Segments(string key)
    {
        var segments = new List<object>();
        foreach (var part in key.Split('.'))
        {
            var m = IndexedPart().Match(part);
            if (!m.Success) { segments.Add(part); continue; }
            if (m.Groups[1].Value.Length > 0) segments.Add(m.Groups[1].Value);
            foreach (Capture c in m.Groups[2].Captures) segments.Add(int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return segments;
    }

    private static void Insert(Dictionary<string, object?> root, List<object> path, object? value)
    {
        object container = root;
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            var next = last ? null : path[i + 1];
            object? child = last ? value : (next is int ? new SortedDictionary<int, object?>() : new Dictionary<string, object?>());
            switch (container, path[i])
            {
                case (Dictionary<string, object?> map, string name):
                    if (last) { map[name] = value; return; }
                    if (!map.TryGetValue(name, out var existing) || !IsContainerFor(existing, next)) map[name] = existing = child;
                    container = existing!;
                    break;
                case (SortedDictionary<int, object?> list, int index):
                    if (last) { list[index] = value; return; }
                    if (!list.TryGetValue(index, out var item) || !IsContainerFor(item, next)) list[index] = item = child;
                    container = item!;
                    break;
                default:
                    return; // a name used both as a list and as a map: the first shape wins
            }
        }
    }

    private static bool IsContainerFor(object? existing, object? next) =>
        next is int ? existing is SortedDictionary<int, object?> : existing is Dictionary<string, object?>;

    /// <summary>Index maps become lists (gaps dropped) once everything is inserted.</summary>
    private static object? Compact(object? node) => node switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Compact(kv.Value)),
        SortedDictionary<int, object?> list => list.Values.Select(Compact).ToList(),
        _ => node,
    };

    [GeneratedRegex(@"^([^\[]*)(?:\[(\d+)\])+$")]
    private static partial Regex IndexedPart();
}
