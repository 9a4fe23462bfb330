using System.Net;
using System.Text.Json.Nodes;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class RolloutHistoryTests(ConsoleFixture fx)
{
    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) },
    };

    /// <summary>The ReplicaSet the deployment controller writes for a revision: owned, annotated, template plus pod-template-hash.</summary>
    internal static async Task ReplicaSetAsync(HttpClient admin, string ns, JsonNode deployment, long revision, string image, string cause)
    {
        var template = Template(image);
        template["metadata"]!["labels"]!["pod-template-hash"] = $"h{revision}";
        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"web-h{revision}",
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = $"{revision}", ["kubernetes.io/change-cause"] = cause },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web", ["uid"] = (string)deployment["metadata"]!["uid"]!, ["controller"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["pod-template-hash"] = $"h{revision}" } },
                ["template"] = template,
            },
        };
        await admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/replicasets", Http.Json(rs.ToJsonString())).ExpectAsync(201);
    }

    [Fact]
    public async Task History_ListsTwoRevisions_AndUndoToTheFirstPutsItsImageBack()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["annotations"] = new JsonObject { ["kubernetes.io/change-cause"] = "first release" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } }, ["template"] = Template("nginx:1.25"),
            },
        };
        var created = await admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Json(deployment.ToJsonString())).ExpectAsync(201);
        await ReplicaSetAsync(admin, ns, created, 1, "nginx:1.25", "first release");
        await admin.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web", """
            {"metadata":{"annotations":{"deployment.kubernetes.io/revision":"2","kubernetes.io/change-cause":"bump to 1.26"}},
             "spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}}
            """).ExpectAsync(200);
        await ReplicaSetAsync(admin, ns, created, 2, "nginx:1.26", "bump to 1.26");

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var html = (await browser.GetAsync($"/workloads?ns={ns}")).Html;
        Assert.Contains($"data-history=\"{ns}/web\"", html, StringComparison.Ordinal);
        Assert.Matches($"data-revision=\"{ns}/web/2\">\\s*<td>2 \\(current\\)</td>\\s*<td>bump to 1.26</td>\\s*<td><code>nginx:1.26</code></td>", html);
        Assert.Matches($"data-revision=\"{ns}/web/1\">\\s*<td>1</td>\\s*<td>first release</td>\\s*<td><code>nginx:1.25</code></td>", html);

        using var missing = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Undo", [new("target", ns), new("name", "web"), new("revision", "9")]);
        Assert.Contains("unable to find specified revision 9 in history", (await browser.GetAsync(missing.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);

        using var undone = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Undo", [new("target", ns), new("name", "web"), new("revision", "1")]);
        Assert.Equal(HttpStatusCode.Redirect, undone.StatusCode);
        Assert.Contains("deployment.apps/web rolled back to revision 1", (await browser.GetAsync(undone.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);
        var after = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.Equal("nginx:1.25", (string?)after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Null(after["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"]);
        Assert.Equal("first release", (string?)after["metadata"]!["annotations"]!["kubernetes.io/change-cause"]);
        Assert.Equal("2", (string?)after["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);

        // Without the antiforgery token the undo is refused before anything is read.
        using var forged = await browser.PostAsync($"/workloads?ns={ns}&handler=Undo", [new("target", ns), new("name", "web"), new("revision", "2")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // A viewer's undo is the apiserver's refusal, and the Deployment is unchanged.
        using var viewer = fx.Browser();
        (await viewer.SignInAsync(await fx.ServiceAccountTokenAsync(ns, "dev", "view"))).Dispose();
        using var refused = await viewer.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Undo", [new("target", ns), new("name", "web"), new("revision", "2")]);
        Assert.Contains("refused (403 Forbidden)", (await viewer.GetAsync(refused.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);
        after = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.Equal("nginx:1.25", (string?)after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }
}
