using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Platform.Testing.ApiServer;

/// <summary>Request helpers: YAML/JSON bodies, merge patches, reading JSON answers.</summary>
public static class Http
{
    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent MergePatch(string json)
    {
        var c = new StringContent(json, Encoding.UTF8);
        c.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        return c;
    }

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string url, string mergePatch) =>
        client.PatchAsync(url, MergePatch(mergePatch));

    /// <summary>Creates a namespace and returns its name.</summary>
    public static async Task<string> CreateNamespaceAsync(this HttpClient client, string? name = null)
    {
        name ??= "ns-" + Guid.NewGuid().ToString("N")[..10];
        var r = await client.PostAsync("/api/v1/namespaces", Json($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}"""));
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"namespace {name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return name;
    }

    public static async Task<JsonObject> ExpectAsync(this Task<HttpResponseMessage> request, int status)
    {
        using var r = await request;
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status}, got {(int)r.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    /// <summary>A minimal pod manifest; <paramref name="labels"/> as <c>k: v</c> lines.</summary>
    public static string Pod(string name, string labels = "app: web", string image = "nginx:1.25") =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels:\n" +
        string.Join("", labels.Split(',').Select(l => "    " + l.Trim() + "\n")) +
        "spec:\n  containers:\n    - name: main\n      image: " + image + "\n";

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
