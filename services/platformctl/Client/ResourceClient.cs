using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Client;

/// <summary>
/// The calls platformctl's commands make, by kind, name and selector, over the client kit's <see cref="ApiClient"/>
/// (objects stay JSON: a CLI handles every kind alike). A refusal becomes a <see cref="CtlException"/> reading
/// <c>Error from server (Reason): message</c>, as kubectl prints it.
/// </summary>
public sealed class ResourceClient(ApiClient api)
{
    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct) =>
        Call(() => api.GetAsync<JsonObject>(kind.ObjectPath(ns, name), ct));

    public async Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Get, kind.CollectionPath(ns) + Query(labelSelector, fieldSelector), null, ct))).Object;

    public async Task<(JsonObject Object, IReadOnlyList<string> Warnings)> CreateAsync(ResourceKind kind, string? ns, JsonObject body, CancellationToken ct)
    {
        var r = await Call(() => api.SendAsync(HttpMethod.Post, kind.CollectionPath(ns), body, ct));
        return (r.Object, r.Warnings);
    }

    public async Task<(JsonObject Object, bool Changed, IReadOnlyList<string> Warnings)> ReplaceAsync(ResourceKind kind, string? ns, string name, JsonObject body, CancellationToken ct)
    {
        var r = await Call(() => api.SendAsync(HttpMethod.Put, kind.ObjectPath(ns, name), body, ct));
        var changed = !r.Headers.TryGetValue("X-Platform-Changed", out var v) || v != "false";
        return (r.Object, changed, r.Warnings);
    }

    public async Task<JsonObject> PatchAsync(string path, string mergePatch, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Patch, path, JsonNode.Parse(mergePatch), ct, "application/merge-patch+json"))).Object;

    public async Task<JsonObject> StrategicPatchAsync(string path, string patch, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Patch, path, JsonNode.Parse(patch), ct, "application/strategic-merge-patch+json"))).Object;

    public async Task<JsonObject> DeleteAsync(ResourceKind kind, string? ns, string name, string propagation, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Delete, kind.ObjectPath(ns, name) + "?propagationPolicy=" + propagation, null, ct))).Object;

    public async Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Post, path, body, ct))).Object;

    /// <summary>Lines of <c>?watch=true</c> (each <c>{"type", "object"}</c>) until the server ends the stream or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<JsonObject> WatchAsync(ResourceKind kind, string? ns, string? labelSelector, string resourceVersion,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var url = kind.CollectionPath(ns) + Query(labelSelector, null) + (labelSelector is null ? "?" : "&") + "watch=true&resourceVersion=" + resourceVersion;
        await using var lines = api.WatchJsonAsync(url, ct).GetAsyncEnumerator(ct);
        while (await Call(async () => await lines.MoveNextAsync())) yield return lines.Current;
    }

    /// <summary>Copies a text answer (pod logs) to <paramref name="output"/> as it arrives.</summary>
    public Task StreamTextAsync(string path, TextWriter output, CancellationToken ct) =>
        Call(async () =>
        {
            await api.CopyTextAsync(path, output, ct);
            return true;
        });

    public async Task<JsonNode> GetRawAsync(string path, CancellationToken ct) =>
        (await Call(() => api.SendAsync(HttpMethod.Get, path, null, ct))).Object;

    private static string Query(string? labelSelector, string? fieldSelector)
    {
        var q = new List<string>();
        if (!string.IsNullOrEmpty(labelSelector)) q.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
        if (!string.IsNullOrEmpty(fieldSelector)) q.Add("fieldSelector=" + Uri.EscapeDataString(fieldSelector));
        return q.Count == 0 ? "" : "?" + string.Join('&', q);
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw new CtlException($"Error from server ({ex.Reason ?? ex.StatusCode.ToString()}): {ex.Detail}");
        }
    }
}
