using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client;

/// <summary>
/// The apiserver calls that platform components (controllers, node agents) make, through an <see cref="HttpClient"/>
/// whose base address is the apiserver and whose bearer token carries the component's role.
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public static string PodPath(string ns, string name) => $"/api/v1/namespaces/{ns}/pods/{name}";

    public async Task<T?> GetAsync<T>(string path, CancellationToken ct) where T : class
    {
        using var r = await http.GetAsync(path, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, "GET", path, ct);
        return await r.Content.ReadFromJsonAsync<T>(ResourceJson.Options, ct);
    }

    /// <summary>The items of a list and the list's resourceVersion.</summary>
    public async Task<(List<T> Items, long ResourceVersion)> ListAsync<T>(string path, CancellationToken ct)
    {
        using var r = await http.GetAsync(path, ct);
        await EnsureAsync(r, "GET", path, ct);
        var list = (JsonObject)JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
        var items = list["items"]!.AsArray().Select(i => i.Deserialize<T>(ResourceJson.Options)!).ToList();
        return (items, long.Parse((string?)list["metadata"]?["resourceVersion"] ?? "0", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Creates; false when the object already exists (409).</summary>
    public async Task<bool> CreateAsync(string path, object body, CancellationToken ct)
    {
        using var r = await http.PostAsync(path, JsonBody(body), ct);
        if (r.StatusCode == HttpStatusCode.Conflict) return false;
        await EnsureAsync(r, "POST", path, ct);
        return true;
    }

    /// <summary>A JSON merge patch; false when the object is gone (404).</summary>
    public async Task<bool> MergePatchAsync(string path, JsonNode patch, CancellationToken ct)
    {
        using var content = new StringContent(patch.ToJsonString(ResourceJson.Options), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var r = await http.PatchAsync(path, content, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(r, "PATCH", path, ct);
        return true;
    }

    /// <summary>Creates and returns the stored object.</summary>
    public async Task<T> CreateReturningAsync<T>(string path, T body, CancellationToken ct) where T : class
    {
        using var r = await http.PostAsync(path, JsonBody(body), ct);
        await EnsureAsync(r, "POST", path, ct);
        return (await r.Content.ReadFromJsonAsync<T>(ResourceJson.Options, ct))!;
    }

    /// <summary>
    /// Replaces (PUT) and returns the stored object; null when it is gone (404). A stale <c>metadata.resourceVersion</c>
    /// throws an <see cref="HttpRequestException"/> whose status code is 409 Conflict.
    /// </summary>
    public async Task<T?> ReplaceAsync<T>(string path, T body, CancellationToken ct) where T : class
    {
        using var r = await http.PutAsync(path, JsonBody(body), ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, "PUT", path, ct);
        return await r.Content.ReadFromJsonAsync<T>(ResourceJson.Options, ct);
    }

    /// <summary>Deletes with a propagation policy; false when already gone.</summary>
    public async Task<bool> DeleteAsync(string path, string propagationPolicy, CancellationToken ct)
    {
        using var r = await http.DeleteAsync($"{path}?propagationPolicy={propagationPolicy}", ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(r, "DELETE", path, ct);
        return true;
    }

    private static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body, body.GetType(), ResourceJson.Options), Encoding.UTF8, "application/json");

    private static async Task EnsureAsync(HttpResponseMessage r, string method, string path, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode) return;
        var text = await r.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException($"{method} {path}: {(int)r.StatusCode} {text}", null, r.StatusCode);
    }
}
