using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>The audit log: every write and every refusal as an audit.k8s.io/v1 Event line, with who, what and the verdict, and never a token.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class AuditLogTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Writes_AndRefusals_AreAudited_WithUserVerbObjectAndDecision_ReadsAreNot()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var created = await admin.PostAsync("/apis/auth.platform.io/v1/tokens",
            Http.Json(new JsonObject { ["name"] = "audited-editor", ["role"] = "editor", ["namespace"] = ns })).ExpectAsync(201);
        var token = (string)created["token"]!;
        using var editor = host.Client(token);

        await editor.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(201);
        await editor.GetAsync($"/api/v1/namespaces/{ns}/pods/p").ExpectAsync(200);
        await editor.PatchAsync($"/api/v1/namespaces/{ns}/pods/p/status", """{"status":{"phase":"Running"}}""").ExpectAsync(403);
        await host.Client("plt_not-a-token").PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Json("{}")).ExpectAsync(401);
        await admin.DeleteAsync($"/api/v1/namespaces/{ns}/pods/p").ExpectAsync(200);

        var path = Path.Combine(host.StateDirectory, "audit.log");
        var events = await Eventually.WaitAsync(async () =>
        {
            if (!File.Exists(path)) return null;
            var lines = (await File.ReadAllLinesAsync(path)).Select(l => JsonNode.Parse(l)!.AsObject()).Where(e => e["requestURI"]!.ToString().Contains(ns)).ToList();
            return lines.Count >= 4 ? lines : null;
        }, TimeSpan.FromSeconds(10), "four audit events for the namespace");

        JsonObject Find(string verb, int code) => events.Single(e => (string?)e["verb"] == verb && (int)e["responseStatus"]!["code"]! == code);
        var create = Find("create", 201);
        Assert.Equal(("audit.k8s.io/v1", "Event", "Metadata", "ResponseComplete"), ((string?)create["apiVersion"], (string?)create["kind"], (string?)create["level"], (string?)create["stage"]));
        Assert.Equal("audited-editor", (string?)create["user"]!["username"]);
        Assert.Equal(("pods", ns), ((string?)create["objectRef"]!["resource"], (string?)create["objectRef"]!["namespace"]));
        Assert.Equal("allow", (string?)create["annotations"]!["authorization.k8s.io/decision"]);
        var denied = Find("patch", 403);
        Assert.Equal(("p", "status", "forbid"), ((string?)denied["objectRef"]!["name"], (string?)denied["objectRef"]!["subresource"], (string?)denied["annotations"]!["authorization.k8s.io/decision"]));
        var anonymous = Find("create", 401);
        Assert.Equal("system:anonymous", (string?)anonymous["user"]!["username"]);
        Assert.Equal("bootstrap-admin", (string?)Find("delete", 200)["user"]!["username"]);
        Assert.DoesNotContain(events, e => (string?)e["verb"] == "get");

        var text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(host.AdminToken, text);
        Assert.DoesNotContain("plt_not-a-token", text);
    }
}
