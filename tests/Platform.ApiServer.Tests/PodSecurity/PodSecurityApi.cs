using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>Requests the Pod Security tests share: labelling a namespace, pods from a spec fragment, the Warning headers of an answer.</summary>
internal static class PodSecurityApi
{
    /// <summary>Sets (or with a null value removes) namespace labels with a merge patch; returns the answer's Warning texts.</summary>
    public static async Task<List<string>> LabelAsync(this HttpClient http, string ns, params (string Key, string? Value)[] labels)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) } };
        using var r = await http.PatchAsync($"/api/v1/namespaces/{ns}", patch.ToJsonString());
        Assert.True(r.IsSuccessStatusCode, $"labelling {ns}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return Warnings(r);
    }

    /// <summary>A pod named <paramref name="name"/> whose spec is <paramref name="spec"/> (JSON).</summary>
    public static StringContent Pod(string name, string spec) => Http.Json($$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}"},"spec":{{spec}}}""");

    public const string Plain = """{"containers":[{"name":"main","image":"platform/busybox:latest"}]}""";

    public const string HostPathRoot = """{"containers":[{"name":"main","image":"platform/busybox:latest","volumeMounts":[{"name":"host","mountPath":"/host"}]}],"volumes":[{"name":"host","hostPath":{"path":"/"}}]}""";

    /// <summary>What the restricted level asks of a pod, and no more.</summary>
    public const string Restricted = """
        {"securityContext":{"runAsNonRoot":true,"runAsUser":1000,"seccompProfile":{"type":"RuntimeDefault"}},
         "containers":[{"name":"main","image":"platform/busybox:latest","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}
        """;

    /// <summary>The Warning header texts of an answer, unquoted (kube-apiserver's <c>299 - "text"</c>).</summary>
    public static List<string> Warnings(HttpResponseMessage r) =>
        r.Headers.NonValidated.TryGetValues("Warning", out var values)
            ? values.Select(v => v.StartsWith("299 - \"", StringComparison.Ordinal) ? v[7..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : v).ToList()
            : [];

    public static async Task<(int Status, JsonObject Body, List<string> Warnings)> SendAsync(this HttpClient http, HttpMethod method, string url, HttpContent? body)
    {
        using var r = await http.SendAsync(new HttpRequestMessage(method, url) { Content = body });
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [], Warnings(r));
    }

    public static Task<HttpResponseMessage> PostTokenAsync(this HttpClient admin, string name, string role, string? ns) =>
        admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name, role, @namespace = ns });
}
