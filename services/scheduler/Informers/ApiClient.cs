using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Informers;

/// <summary>The scheduler's calls to the apiserver: list once, bind, patch pod status, write Events.</summary>
internal sealed class ApiClient(HttpClient http)
{
    public async Task<(List<T> Items, long ResourceVersion)> ListAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureAsync(response, "GET " + path, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var list = await JsonSerializer.DeserializeAsync<ListResponse<T>>(stream, ResourceJson.Options, ct)
            ?? throw new InvalidOperationException($"GET {path}: empty answer");
        return (list.Items, long.Parse(list.Metadata.ResourceVersion ?? "0", CultureInfo.InvariantCulture));
    }

    public async Task<BindOutcome> BindAsync(string ns, string name, string node, CancellationToken ct)
    {
        var binding = new Binding
        {
            ApiVersion = "v1", Kind = "Binding",
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Target = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        var path = $"/api/v1/namespaces/{ns}/pods/{name}/binding";
        using var response = await http.PostAsJsonAsync(path, binding, ResourceJson.Options, ct);
        if (response.StatusCode == HttpStatusCode.Conflict) return BindOutcome.AlreadyBound;
        if (response.StatusCode == HttpStatusCode.NotFound) return BindOutcome.NotFound;
        await EnsureAsync(response, "POST " + path, ct);
        return BindOutcome.Bound;
    }

    public async Task PatchPodStatusAsync(string ns, string name, JsonObject patch, CancellationToken ct)
    {
        var path = $"/api/v1/namespaces/{ns}/pods/{name}/status";
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
        using var response = await http.PatchAsync(path, content, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return; // deleted meanwhile: nothing to explain any more
        await EnsureAsync(response, "PATCH " + path, ct);
    }

    public async Task CreateEventAsync(Event e, CancellationToken ct)
    {
        var path = $"/api/v1/namespaces/{e.Metadata.Namespace}/events";
        using var response = await http.PostAsJsonAsync(path, e, ResourceJson.Options, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return; // the namespace is being deleted
        await EnsureAsync(response, "POST " + path, ct);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException($"{what}: {(int)response.StatusCode} {body}", null, response.StatusCode);
    }
}
