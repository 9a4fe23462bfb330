using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Support;

/// <summary>What a user of the apiserver does and sees: create nodes and pods, read pods and Events.</summary>
internal sealed class Cluster(HttpClient admin, string ns)
{
    public string Namespace { get; } = ns;

    public static async Task<Cluster> CreateAsync(ApiServerHost api)
    {
        var admin = api.AdminClient();
        return new Cluster(admin, await admin.CreateNamespaceAsync());
    }

    public async Task AddNodeAsync(Node node)
    {
        using var r = await admin.PostAsJsonAsync("/api/v1/nodes", node, ResourceJson.Options);
        Assert.True(r.IsSuccessStatusCode, $"create node: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    public async Task AddPodAsync(Pod pod)
    {
        pod = pod with { Metadata = pod.Metadata with { Namespace = Namespace, ResourceVersion = null } };
        using var r = await admin.PostAsJsonAsync($"/api/v1/namespaces/{Namespace}/pods", pod, ResourceJson.Options);
        Assert.True(r.IsSuccessStatusCode, $"create pod: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    public async Task DeletePodAsync(string name)
    {
        using var r = await admin.DeleteAsync($"/api/v1/namespaces/{Namespace}/pods/{name}");
        Assert.True(r.IsSuccessStatusCode, $"delete pod: {(int)r.StatusCode}");
    }

    public async Task<Pod> GetPodAsync(string name) =>
        (await admin.GetFromJsonAsync<Pod>($"/api/v1/namespaces/{Namespace}/pods/{name}", ResourceJson.Options))!;

    public async Task<List<Pod>> PodsAsync() =>
        (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/namespaces/{Namespace}/pods"))!["items"]!.Deserialize<List<Pod>>(ResourceJson.Options)!;

    public async Task<List<Event>> EventsAsync(string? pod = null, string? reason = null) =>
        (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/namespaces/{Namespace}/events"))!["items"]!.Deserialize<List<Event>>(ResourceJson.Options)!
            .Where(e => (pod is null || e.InvolvedObject.Name == pod) && (reason is null || e.Reason == reason)).ToList();

    public Task<string> WaitBoundAsync(string pod, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => (await GetPodAsync(pod)).Spec.NodeName, timeout ?? TimeSpan.FromSeconds(30), $"pod {pod} bound");

    public Task<Event> WaitEventAsync(string pod, string reason, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => (await EventsAsync(pod, reason)).FirstOrDefault(), timeout ?? TimeSpan.FromSeconds(30), $"{reason} event for {pod}");
}
