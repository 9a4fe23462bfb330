using System.Text.Json.Nodes;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Fields of a manifest that the schema does not know (a typo such as <c>metadata.namepsace</c>): found by comparing
/// the input with its decoded-and-encoded form. They are dropped, and reported as warnings as kube-apiserver does.
/// </summary>
internal static class UnknownFields
{
    private const int MaxReported = 20;

    public static void Report(JsonObject input, JsonObject known, List<string> warnings)
    {
        var found = new List<string>();
        Walk(input, known, "", found);
        warnings.AddRange(found.Take(MaxReported).Select(f => $"unknown field \"{f}\""));
    }

    private static void Walk(JsonNode? input, JsonNode? known, string path, List<string> found)
    {
        if (found.Count >= MaxReported) return;
        switch (input)
        {
            case JsonObject o when known is JsonObject k:
                foreach (var (key, value) in o)
                {
                    var p = path.Length == 0 ? key : $"{path}.{key}";
                    if (value is null) continue;
                    if (!k.ContainsKey(key)) found.Add(p);
                    else Walk(value, k[key], p, found);
                }
                break;
            case JsonArray a when known is JsonArray ka:
                for (var i = 0; i < a.Count && i < ka.Count; i++) Walk(a[i], ka[i], $"{path}[{i}]", found);
                break;
        }
    }
}
