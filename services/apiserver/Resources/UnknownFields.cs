using System.Text.Json.Nodes;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Fields of a manifest that the schema does not know (a typo such as <c>metadata.namepsace</c>): found by comparing
/// the input with its decoded-and-encoded form. What becomes of them is the request's <see cref="FieldValidation"/>.
/// </summary>
internal static class UnknownFields
{
    private const int MaxFound = 20;

    public static void Report(JsonObject input, JsonObject known, WriteRequest warnings)
    {
        if (warnings.Validation == FieldValidation.Ignore) return;
        var found = new List<string>();
        Walk(input, known, "", found);
        warnings.UnknownFields(found);
    }

    private static void Walk(JsonNode? input, JsonNode? known, string path, List<string> found)
    {
        if (found.Count >= MaxFound) return;
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
