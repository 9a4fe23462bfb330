using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>
/// <c>create</c> on <c>pods/exec</c> and <c>pods/attach</c>, checked before the pod is even read: admins and editors of
/// the namespace pass (and then learn the pod does not exist), every other identity gets a 403 Status naming the rule.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class PodExecAuthorizationTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ExecAndAttach_AreForAdminsAndEditorsOfTheNamespace_Only()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        async Task<HttpClient> ClientAsync(string role, string? tokenNs = null, string? node = null)
        {
            var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens",
                new { name = role + "-" + Guid.NewGuid().ToString("N")[..6], role, @namespace = tokenNs, nodeName = node }).ContinueWith(t => t.Result).ExpectAsync(201);
            return host.Client((string)created["token"]!);
        }

        foreach (var sub in new[] { "exec?command=true&stdout=true", "attach?stdout=true" })
        {
            var path = $"/api/v1/namespaces/{ns}/pods/missing/{sub}";
            await ExpectAsync(admin, path, 404, "NotFound", "pods \"missing\" not found");
            using (var editor = await ClientAsync("editor", ns)) await ExpectAsync(editor, path, 404, "NotFound", "not found");
            var verb = sub[..sub.IndexOf('?')];
            using (var outsider = await ClientAsync("editor", other))
                await ExpectAsync(outsider, path, 403, "Forbidden", $"cannot create resource \"pods/{verb}\" in API group \"\" in the namespace \"{ns}\"");
            foreach (var role in new[] { "viewer", "scheduler", "controller" })
            {
                using var client = await ClientAsync(role);
                await ExpectAsync(client, path, 403, "Forbidden", $"pods \"missing\" is forbidden: User \"{role}-");
                await ExpectAsync(client, path, 403, "Forbidden", $"cannot create resource \"pods/{verb}\" in API group \"\" in the namespace \"{ns}\"");
            }
            using var node = await ClientAsync("node", node: "n1");
            await ExpectAsync(node, path, 403, "Forbidden", $"node tokens may not use pods/{verb}");
        }
    }

    /// <summary>A kubectl-like request (Accept: application/json), so the refusal is the v1 Status kubectl prints.</summary>
    private static async Task ExpectAsync(HttpClient client, string path, int code, string reason, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var r = await client.SendAsync(request);
        var status = JsonNode.Parse(await r.Content.ReadAsStringAsync()) as JsonObject ?? [];
        Assert.True(code == (int)r.StatusCode, $"{path}: expected {code}, got {(int)r.StatusCode} {status}");
        Assert.Equal(("Status", reason), ((string?)status["kind"], (string?)status["reason"]));
        Assert.Contains(message, (string?)status["message"]);
    }
}
