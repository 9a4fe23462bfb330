using System.Net;
using System.Text.Json.Nodes;
using Platform.Testing;

namespace Platform.Connect.Tests.Infrastructure;

/// <summary>The REST calls a user makes with curl, and waits on what they report.</summary>
internal static class ConnectClient
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = TestConnectWorker.Json(body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> CreateConnectorAsync(this HttpClient client, string name, JsonObject config)
    {
        var (status, body) = await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject { ["name"] = name, ["config"] = config });
        Assert.True(status == HttpStatusCode.Created, $"POST /connectors answered {(int)status}: {body?.ToJsonString()}");
        return body!;
    }

    /// <summary>Waits until the connector and <paramref name="tasks"/> tasks report <paramref name="state"/>; returns the status.</summary>
    public static Task<JsonNode> WaitForStateAsync(this HttpClient client, string name, string state, int tasks, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () =>
        {
            var (status, body) = await client.SendAsync(HttpMethod.Get, $"connectors/{name}/status");
            if (status != HttpStatusCode.OK) return null;
            var taskStates = body!["tasks"]!.AsArray().Select(t => t!["state"]!.GetValue<string>()).ToList();
            return body["connector"]!["state"]!.GetValue<string>() == state && taskStates.Count == tasks && taskStates.All(s => s == state) ? body : null;
        }, timeout ?? TimeSpan.FromSeconds(60), $"connector {name} and {tasks} task(s) to be {state}");
}
