using System.Net;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class WorkloadsPageTests(ConsoleFixture fx)
{
    internal static string Deployment(string name, int replicas = 1) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
                - name: main
                  image: nginx:1.25
        """;

    /// <summary>A new namespace holding Deployment <c>web</c> of one replica.</summary>
    private static async Task<string> NamespaceWithDeploymentAsync(HttpClient admin)
    {
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml(Deployment("web"))).ExpectAsync(201);
        return ns;
    }

    [Fact]
    public async Task Scale_And_Restart_PatchTheDeploymentAsTheUser()
    {
        using var admin = fx.Admin();
        var ns = await NamespaceWithDeploymentAsync(admin);
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        var (status, html) = await browser.GetAsync($"/workloads?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-workload=\"deployments/{ns}/web\"", html, StringComparison.Ordinal);
        Assert.Contains("0/1", html, StringComparison.Ordinal);

        using var scaled = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Scale",
            [new("kind", "deployments"), new("target", ns), new("name", "web"), new("replicas", "3")]);
        Assert.Equal(HttpStatusCode.Redirect, scaled.StatusCode);
        var deployment = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        Assert.Contains("deployments/web scaled to 3", (await browser.GetAsync(scaled.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal);

        using var restarted = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Restart",
            [new("kind", "deployments"), new("target", ns), new("name", "web")]);
        Assert.Equal(HttpStatusCode.Redirect, restarted.StatusCode);
        deployment = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.NotNull(deployment["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task Rollout_ShowsProgress_ThenStalled_ThenComplete()
    {
        using var admin = fx.Admin();
        var ns = await NamespaceWithDeploymentAsync(admin);
        await admin.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web", """{"spec":{"replicas":3}}""").ExpectAsync(200);
        var status = $"/apis/apps/v1/namespaces/{ns}/deployments/web/status";
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        async Task<string> RowAsync()
        {
            var html = (await browser.GetAsync($"/workloads?ns={ns}")).Html;
            var row = html[html.IndexOf($"data-workload=\"deployments/{ns}/web\"", StringComparison.Ordinal)..];
            return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        }

        await admin.PatchAsync(status, """{"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1}}""").ExpectAsync(200);
        var row = await RowAsync();
        Assert.Contains("<td class=\"ready\">1/3</td>", row, StringComparison.Ordinal);
        Assert.Contains("1 of 3 updated, 1 ready", row, StringComparison.Ordinal);

        await admin.PatchAsync(status, """
            {"status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"web-1\" has timed out progressing.",
              "lastUpdateTime":"2026-12-05T10:00:00Z","lastTransitionTime":"2026-12-05T10:00:00Z"}]}}
            """).ExpectAsync(200);
        Assert.Contains("stalled: ReplicaSet &quot;web-1&quot; has timed out progressing.", await RowAsync(), StringComparison.Ordinal);

        await admin.PatchAsync(status, """{"status":{"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3,"conditions":null}}""").ExpectAsync(200);
        row = await RowAsync();
        Assert.Contains("<td class=\"ok\">complete</td>", row, StringComparison.Ordinal);
        Assert.Contains("3/3", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_BadInputOrNoAntiforgery_IsRefusedAndNothingChanges()
    {
        using var admin = fx.Admin();
        var ns = await NamespaceWithDeploymentAsync(admin);
        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();

        using var forged = await browser.PostAsync($"/workloads?ns={ns}&handler=Scale",
            [new("kind", "deployments"), new("target", ns), new("name", "web"), new("replicas", "5")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var negative = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Scale",
            [new("kind", "deployments"), new("target", ns), new("name", "web"), new("replicas", "-1")]);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("replicas: must be a whole number from 0 to 10000", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var pods = await browser.SubmitAsync($"/workloads?ns={ns}", $"/workloads?ns={ns}&handler=Scale",
            [new("kind", "pods"), new("target", ns), new("name", "web"), new("replicas", "2")]);
        Assert.Equal(HttpStatusCode.BadRequest, pods.StatusCode);
        Assert.Contains("kind: must be one of deployments, replicasets, statefulsets", await pods.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deployment = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Scale_ByAViewer_ShowsTheApiserversRefusal()
    {
        using var admin = fx.Admin();
        var ns = await NamespaceWithDeploymentAsync(admin);
        var token = await fx.ServiceAccountTokenAsync(ns, "looker", "view");
        using var browser = fx.Browser();
        (await browser.SignInAsync(token)).Dispose();

        using var r = await browser.SubmitAsync("/workloads", "/workloads?handler=Scale",
            [new("kind", "deployments"), new("target", ns), new("name", "web"), new("replicas", "4")]);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var (_, html) = await browser.GetAsync(r.Headers.Location!.OriginalString);
        Assert.Contains("refused (403 Forbidden)", html, StringComparison.Ordinal);
        Assert.Contains($"User &quot;system:serviceaccount:{ns}:looker&quot; cannot patch resource &quot;deployments&quot;", html, StringComparison.Ordinal);
        var deployment = await admin.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web").ExpectAsync(200);
        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
    }
}
