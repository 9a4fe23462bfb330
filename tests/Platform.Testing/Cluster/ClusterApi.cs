using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Testing.ApiServer;

namespace Platform.Testing.Cluster;

/// <summary>Test-side apiserver calls for a cluster with node agents: tokens, pods, nodes (namespaces: <see cref="Http.CreateNamespaceAsync"/>).</summary>
public static class ClusterApi
{
    public static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A node-role token for <paramref name="nodeName"/>.</summary>
    public static async Task<string> CreateNodeTokenAsync(this HttpClient admin, string nodeName)
    {
        var r = await SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new JsonObject { ["name"] = NewName("node"), ["role"] = "node", ["nodeName"] = nodeName });
        return (string)r["token"]!;
    }

    /// <summary>A token of <paramref name="role"/> (scheduler, controller ...).</summary>
    public static async Task<string> CreateTokenAsync(this HttpClient admin, string role)
    {
        var r = await SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens", new JsonObject { ["name"] = NewName(role), ["role"] = role });
        return (string)r["token"]!;
    }

    public static Task<JsonObject> CreateAsync(this HttpClient client, string path, Resource body) =>
        SendAsync(client, HttpMethod.Post, path, JsonSerializer.SerializeToNode(body, body.GetType(), ResourceJson.Options)!);

    public static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        using var r = await client.SendAsync(request);
        var text = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)r.StatusCode} {text}", null, r.StatusCode);
        return text.Length == 0 ? [] : (JsonObject)JsonNode.Parse(text)!;
    }

    public static async Task<T?> GetAsync<T>(this HttpClient client, string path) where T : class
    {
        using var r = await client.GetAsync(path);
        if (r.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        r.EnsureSuccessStatusCode();
        return await r.Content.ReadFromJsonAsync<T>(ResourceJson.Options);
    }

    public static async Task<List<T>> ListAsync<T>(this HttpClient client, string path)
    {
        var list = (JsonObject)JsonNode.Parse(await client.GetStringAsync(path))!;
        return list["items"]!.AsArray().Select(i => i.Deserialize<T>(ResourceJson.Options)!).ToList();
    }

    public static Task<Pod?> GetPodAsync(this HttpClient client, string ns, string name) => client.GetAsync<Pod>($"/api/v1/namespaces/{ns}/pods/{name}");

    public static bool IsReady(this Pod? pod) => pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>A pod running busybox httpd on $PORT with an httpGet readiness probe on its named port.</summary>
    public static Pod HttpdPod(string name, string? nodeName, Dictionary<string, string>? labels = null, Probe? liveness = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Labels = labels ?? new() { ["app"] = "web" } },
        Spec = new PodSpec
        {
            NodeName = nodeName,
            TerminationGracePeriodSeconds = 2,
            Containers = [HttpdContainer(liveness)],
        },
    };

    public static Container HttpdContainer(Probe? liveness = null, string version = "v1") => new()
    {
        Name = "web",
        Image = DockerFixture.BusyboxImage,
        Command = ["httpd", "-f", "-h", "/www", "-p", "$(PORT)"],
        Env = [new EnvVar { Name = "VERSION", Value = version }],
        Ports = [new ContainerPort { Name = "http", Port = 8080 }],
        ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/index.html", Port = "http" }, PeriodSeconds = 1 },
        LivenessProbe = liveness,
    };
}
