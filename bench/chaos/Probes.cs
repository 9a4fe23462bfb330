using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Bench.Chaos;

/// <summary>
/// "Does its job again" checks for the components whose work the write load does not exercise: each makes one object
/// the first time it is asked, then answers whether the component acted on it.
/// </summary>
internal sealed class Probes(HttpClient api, HttpClient eureka, HttpClient config, string ns)
{
    private const string Image = "platform/busybox:latest";

    /// <summary>The scheduler binds a new pod to a node.</summary>
    public (Func<CancellationToken, Task<bool>> Works, Func<CancellationToken, Task> CleanUp) PodScheduled(string name) => (
        async ct => await EnsureAsync($"api/v1/namespaces/{ns}/pods", Pod(name, nodeName: null), ct)
            && (await GetAsync($"api/v1/namespaces/{ns}/pods/{name}", ct))?["spec"]?["nodeName"] is not null,
        ct => DeleteAsync($"api/v1/namespaces/{ns}/pods/{name}", ct));

    /// <summary>The node agent starts a pod bound to its node: phase Running.</summary>
    public (Func<CancellationToken, Task<bool>> Works, Func<CancellationToken, Task> CleanUp) PodRunning(string name, string node) => (
        async ct => await EnsureAsync($"api/v1/namespaces/{ns}/pods", Pod(name, node), ct)
            && (string?)(await GetAsync($"api/v1/namespaces/{ns}/pods/{name}", ct))?["status"]?["phase"] == "Running",
        ct => DeleteAsync($"api/v1/namespaces/{ns}/pods/{name}", ct));

    /// <summary>The controller-manager's ReplicaSet controller creates the pod of a new ReplicaSet (kept off every node by its selector).</summary>
    public (Func<CancellationToken, Task<bool>> Works, Func<CancellationToken, Task> CleanUp) ReplicaSetPod(string name) => (
        async ct =>
        {
            var rs = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["probe"] = name } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["probe"] = name } },
                        ["spec"] = PodSpec(nodeName: null, nodeSelector: new JsonObject { ["chaos.platform.io/nowhere"] = "true" }),
                    },
                },
            };
            if (!await EnsureAsync($"apis/apps/v1/namespaces/{ns}/replicasets", rs, ct)) return false;
            var pods = await GetAsync($"api/v1/namespaces/{ns}/pods?labelSelector=probe%3D{name}", ct);
            return pods?["items"] is JsonArray { Count: > 0 };
        },
        ct => DeleteAsync($"apis/apps/v1/namespaces/{ns}/replicasets/{name}?propagationPolicy=Background", ct));

    /// <summary>Discovery serves the registry, with the hello app registered again.</summary>
    public async Task<bool> RegistryHasAsync(string app, CancellationToken ct)
    {
        try
        {
            using var response = await eureka.GetAsync($"apps/{app}", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>The config server answers an environment.</summary>
    public async Task<bool> ConfigServesAsync(CancellationToken ct)
    {
        try
        {
            using var response = await config.GetAsync("application/default", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
    }

    private static JsonObject Pod(string name, string? nodeName) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = PodSpec(nodeName, nodeSelector: null),
    };

    private static JsonObject PodSpec(string? nodeName, JsonObject? nodeSelector)
    {
        var spec = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 1,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = Image,
                ["command"] = new JsonArray("sleep", "3600"),
            }),
        };
        if (nodeName is not null) spec["nodeName"] = nodeName;
        if (nodeSelector is not null) spec["nodeSelector"] = nodeSelector;
        return spec;
    }

    /// <summary>Creates the object unless it exists: true once it does.</summary>
    private async Task<bool> EnsureAsync(string collection, JsonObject body, CancellationToken ct)
    {
        try
        {
            using var response = await api.PostAsJsonAsync(collection, body, ct);
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict;
        }
        catch (HttpRequestException) { return false; }
    }

    private async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            using var response = await api.GetAsync(path, ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(ct) : null;
        }
        catch (HttpRequestException) { return null; }
    }

    private async Task DeleteAsync(string path, CancellationToken ct)
    {
        try { (await api.DeleteAsync(path, ct)).Dispose(); }
        catch (HttpRequestException) { /* the namespace's deletion at the end removes it anyway */ }
    }
}
