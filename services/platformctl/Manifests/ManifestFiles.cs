using System.Text.Json.Nodes;
using Platform.Manifests.Parsing;

namespace Platform.Ctl.Manifests;

/// <summary>Documents from <c>-f FILE|DIR|-</c>: every YAML document of every <c>.yaml</c>, <c>.yml</c> or <c>.json</c> file (a folder's files in name order).</summary>
public static class ManifestFiles
{
    public static List<(string Source, JsonObject Document)> Read(IEnumerable<string> paths, TextReader stdin)
    {
        var docs = new List<(string, JsonObject)>();
        foreach (var path in paths)
        {
            IEnumerable<(string Name, string Text)> inputs = path == "-"
                ? [("<stdin>", stdin.ReadToEnd())]
                : Directory.Exists(path)
                    ? Directory.GetFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                        .Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f)))
                    : File.Exists(path) ? [(path, File.ReadAllText(path))] : throw new CtlException($"the path \"{path}\" does not exist");
            foreach (var (name, text) in inputs)
            {
                List<JsonNode> parsed;
                try { parsed = ManifestParser.ParseYamlDocuments(text); }
                catch (ManifestException ex) { throw new CtlException($"{name}: {ex.Message}"); }
                for (var i = 0; i < parsed.Count; i++)
                {
                    if (parsed[i] is not JsonObject o) throw new CtlException($"{name}: document {i + 1} is not a mapping (an object with apiVersion, kind, metadata)");
                    if (o["kind"] is JsonValue { } k && k.ToString() == "List" && o["items"] is JsonArray items)
                        docs.AddRange(items.OfType<JsonObject>().Select((item, j) => ($"{name}#{i + 1}.{j + 1}", (JsonObject)item.DeepClone())));
                    else docs.Add(($"{name}#{i + 1}", o));
                }
            }
        }
        return docs;
    }
}
