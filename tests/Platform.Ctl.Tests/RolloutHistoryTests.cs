using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class RolloutHistoryTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task History_ListsTheOwnedReplicaSetsRevisions_AndUndoRequestsARollbackOnlyToAKnownRevision()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var web = await RolloutWorkloads.CreateDeploymentAsync(admin, "web", "httpd:2.4");
        var other = await RolloutWorkloads.CreateDeploymentAsync(admin, "other", "httpd:2.4");
        await RolloutWorkloads.CreateReplicaSetAsync(admin, web, 1, "httpd:2.2", "platformctl apply -f web.yaml");
        await RolloutWorkloads.CreateReplicaSetAsync(admin, web, 3, "httpd:2.4", "image bumped to 2.4");
        await RolloutWorkloads.CreateReplicaSetAsync(admin, web, 2, "httpd:2.3", null);
        // Owned by another Deployment: not part of web's history.
        await RolloutWorkloads.CreateReplicaSetAsync(admin, other, 9, "httpd:2.4", "other's");
        var ctl = new CtlRunner(host);

        var history = await ctl.RunAsync("rollout history deployment/web");
        Assert.Equal(0, history.Exit);
        var lines = history.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal("deployment.apps/web", lines[0]);
        Assert.Matches("^REVISION +CHANGE-CAUSE$", lines[1]);
        Assert.Matches("^1 +platformctl apply -f web.yaml$", lines[2]);
        Assert.Matches("^2 +<none>$", lines[3]);
        Assert.Matches("^3 +image bumped to 2.4$", lines[4]);
        Assert.Equal(5, lines.Length);
        Assert.Equal(lines[1].IndexOf("CHANGE-CAUSE", StringComparison.Ordinal), lines[2].IndexOf("platformctl", StringComparison.Ordinal));

        Assert.Equal(history.Out, (await ctl.RunAsync("rollout history deployment/web --revision 0")).Out);
        var one = await ctl.RunAsync("rollout history deployment web --revision 2");
        Assert.Equal(0, one.Exit);
        Assert.StartsWith("deployment.apps/web with revision #2\nPod Template:\n", one.Out);
        Assert.Contains("image: httpd:2.3", one.Out);
        var json = await ctl.RunAsync("rollout history deploy/web -o json");
        var items = JsonNode.Parse(json.Out)!["items"]!.AsArray();
        Assert.Equal(["web-h1", "web-h2", "web-h3"], items.Select(i => (string)i!["metadata"]!["name"]!));
        var yaml = await ctl.RunAsync("rollout history deployment/web --revision 1 -o yaml");
        Assert.Contains("name: web-h1", yaml.Out);
        Assert.Contains("kind: ReplicaSet", yaml.Out);
        var missingRevision = await ctl.RunAsync("rollout history deployment/web --revision 5");
        Assert.Equal(1, missingRevision.Exit);
        Assert.Equal("error: unable to find revision 5 of deployment.apps/web (revisions: 1, 2, 3)", missingRevision.Err.Trim());

        var unknown = await ctl.RunAsync("rollout undo deployment/web --to-revision 7");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("unable to find revision 7 of deployment.apps/web", unknown.Err);
        Assert.Null((await Annotations(admin, "web"))?["deployment.platform.io/rollback-to"]);
        // Revision 3 is what the Deployment runs now (its template plus the hash label): nothing to do.
        var same = await ctl.RunAsync("rollout undo deployment/web --to-revision 3");
        Assert.Equal("deployment.apps/web skipped rollback (current template already matches revision 3)", same.Out.Trim());
        Assert.Null((await Annotations(admin, "web"))?["deployment.platform.io/rollback-to"]);

        var undo = await ctl.RunAsync("rollout undo deployment/web");
        Assert.Equal(0, undo.Exit);
        Assert.Equal("deployment.apps/web rolled back", undo.Out.Trim());
        Assert.Equal("0", (string?)(await Annotations(admin, "web"))?["deployment.platform.io/rollback-to"]);
        var to = await ctl.RunAsync("rollout undo deployment/web --to-revision 1");
        Assert.Equal("deployment.apps/web rolled back", to.Out.Trim());
        Assert.Equal("1", (string?)(await Annotations(admin, "web"))?["deployment.platform.io/rollback-to"]);

        // "other" has only one revision: there is no previous one to return to.
        var none = await ctl.RunAsync("rollout undo deployment/other");
        Assert.Equal(1, none.Exit);
        Assert.Equal("error: no previous revision of deployment.apps/other to roll back to (revisions: 9)", none.Err.Trim());
        var notFound = await ctl.RunAsync("rollout history deployment/absent");
        Assert.Contains("deployments.apps \"absent\" not found", notFound.Err);
        var wrongKind = await ctl.RunAsync("rollout history pod/web");
        Assert.Contains("only deployments, daemonsets and statefulsets have a rollout history", wrongKind.Err);
    }

    [Fact]
    public async Task PauseAndResume_FlipSpecPaused_AndAPausedDeploymentCannotBeRolledBack()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var web = await RolloutWorkloads.CreateDeploymentAsync(admin, "web", "httpd:2.4");
        await RolloutWorkloads.CreateReplicaSetAsync(admin, web, 1, "httpd:2.3", null);
        await RolloutWorkloads.CreateReplicaSetAsync(admin, web, 2, "httpd:2.4", null);
        var ctl = new CtlRunner(host);

        var pause = await ctl.RunAsync("rollout pause deployment/web");
        Assert.Equal((0, "deployment.apps/web paused"), (pause.Exit, pause.Out.Trim()));
        Assert.True((bool?)(await Get(admin, "web"))["spec"]!["paused"]);
        var again = await ctl.RunAsync("rollout pause deployment/web");
        Assert.Equal((1, "error: deployments.apps \"web\" is already paused"), (again.Exit, again.Err.Trim()));
        var undo = await ctl.RunAsync("rollout undo deployment/web");
        Assert.Equal(1, undo.Exit);
        Assert.Contains("cannot roll back a paused deployment", undo.Err);

        var resume = await ctl.RunAsync("rollout resume deployment/web");
        Assert.Equal((0, "deployment.apps/web resumed"), (resume.Exit, resume.Out.Trim()));
        Assert.False((bool?)(await Get(admin, "web"))["spec"]!["paused"] ?? false);
        var notPaused = await ctl.RunAsync("rollout resume deployment/web");
        Assert.Equal((1, "error: deployments.apps \"web\" is not paused"), (notPaused.Exit, notPaused.Err.Trim()));
        Assert.Equal(0, (await ctl.RunAsync("rollout undo deployment/web")).Exit);
    }

    private static Task<JsonObject> Get(HttpClient admin, string name) =>
        admin.GetAsync($"{RolloutWorkloads.Deployments}/{name}").ExpectAsync(200);

    private static async Task<JsonObject?> Annotations(HttpClient admin, string name) =>
        (await Get(admin, name))["metadata"]!["annotations"] as JsonObject;
}
