using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Client;

/// <summary>The apiserver's HTTP API as platformctl uses it; ProblemDetails answers become <see cref="CtlException"/>.</summary>
public sealed class ApiClient(HttpClient http)
{
    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct)
    {
        using var r = await http.GetAsync(kind.ObjectPath(ns, name), ct);
        if (r.StatusCode == HttpStatusCode.NotFound && (await ReadAsync(r, ct))?["reason"]?.ToString() == "NotFound") return null;
        return await EnsureAsync(r, ct);
    }

    public async Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct)
    {
        using var r = await http.GetAsync(kind.CollectionPath(ns) + Query(labelSelector, fieldSelector), ct);
        return await EnsureAsync(r, ct);
    }

    public async Task<(JsonObject Object, IReadOnlyList<string> Warnings)> CreateAsync(ResourceKind kind, string? ns, JsonObject body, CancellationToken ct)
    {
        using var r = await http.PostAsync(kind.CollectionPath(ns), Json(body), ct);
        return (await EnsureAsync(r, ct), Warnings(r));
    }

    public async Task<(JsonObject Object, bool Changed, IReadOnlyList<string> Warnings)> ReplaceAsync(ResourceKind kind, string? ns, string name, JsonObject body, CancellationToken ct)
    {
        using var r = await http.PutAsync(kind.ObjectPath(ns, name), Json(body), ct);
        var obj = await EnsureAsync(r, ct);
        var changed = !r.Headers.TryGetValues("X-Platform-Changed", out var v) || v.FirstOrDefault() != "false";
        return (obj, changed, Warnings(r));
    }

    public async Task<JsonObject> PatchAsync(string path, string mergePatch, CancellationToken ct)
    {
        var content = new StringContent(mergePatch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var r = await http.PatchAsync(path, content, ct);
        return await EnsureAsync(r, ct);
    }

    public async Task<JsonObject> DeleteAsync(ResourceKind kind, string? ns, string name, string propagation, CancellationToken ct)
    {
        using var r = await http.DeleteAsync(kind.ObjectPath(ns, name) + "?propagationPolicy=" + propagation, ct);
        return await EnsureAsync(r, ct);
    }

    public async Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var r = await http.PostAsync(path, Json(body), ct);
        return await EnsureAsync(r, ct);
    }

    /// <summary>Lines of <c>?watch=true</c> (each <c>{"type", "object"}</c>) until the server ends the stream or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<JsonObject> WatchAsync(ResourceKind kind, string? ns, string? labelSelector, string resourceVersion,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var url = kind.CollectionPath(ns) + Query(labelSelector, null) + (labelSelector is null ? "?" : "&") + "watch=true&resourceVersion=" + resourceVersion;
        using var r = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!r.IsSuccessStatusCode) await EnsureAsync(r, ct);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject e) yield return e;
    }

    /// <summary>Copies a text answer (pod logs) to <paramref name="output"/> chunk by chunk, flushing each, until the server ends it.</summary>
    public async Task StreamTextAsync(string path, TextWriter output, CancellationToken ct)
    {
        using var r = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!r.IsSuccessStatusCode) await EnsureAsync(r, ct);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            await output.FlushAsync(ct);
        }
    }

    public async Task<JsonNode> GetRawAsync(string path, CancellationToken ct)
    {
        using var r = await http.GetAsync(path, ct);
        if (!r.IsSuccessStatusCode) await EnsureAsync(r, ct);
        return JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
    }

    private static string Query(string? labelSelector, string? fieldSelector)
    {
        var q = new List<string>();
        if (!string.IsNullOrEmpty(labelSelector)) q.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
        if (!string.IsNullOrEmpty(fieldSelector)) q.Add("fieldSelector=" + Uri.EscapeDataString(fieldSelector));
        return q.Count == 0 ? "" : "?" + string.Join('&', q);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static List<string> Warnings(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Warning", out var values) ? values.Select(Unquote).ToList() : [];

    /// <summary><c>299 - "text with \"quotes\""</c> → <c>text with "quotes"</c>.</summary>
    private static string Unquote(string warning)
    {
        var text = warning.StartsWith("299 - \"", StringComparison.Ordinal) && warning.EndsWith('"') ? warning[7..^1] : warning;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length) i++;
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        try { return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static async Task<JsonObject> EnsureAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var body = await ReadAsync(r, ct);
        if (r.IsSuccessStatusCode) return body ?? [];
        var detail = (string?)body?["detail"] ?? (string?)body?["title"] ?? r.ReasonPhrase;
        throw new CtlException($"Error from server ({(string?)body?["reason"] ?? r.StatusCode.ToString()}): {detail}");
    }
}
