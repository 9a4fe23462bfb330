using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>
/// <c>rollout history|undo|status</c> on DaemonSets and StatefulSets, over ControllerRevisions written as the
/// controller-manager writes them and status written through the status subresource (no controller runs here).
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class RolloutSetsTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Apps = "/apis/apps/v1/namespaces/default";

    private static string Manifest(string kind, string name, string image) => $"""
        apiVersion: apps/v1
        kind: {kind}
        metadata:
          name: {name}
          annotations:
            kubernetes.io/change-cause: image {image}
        spec:
          {(kind == "StatefulSet" ? "serviceName: " + name : "minReadySeconds: 0")}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
                - name: main
                  image: {image}
        """;

    /// <summary>The owner's current template as a ControllerRevision, named, labelled and owned as the controller does.</summary>
    private static async Task RecordAsync(HttpClient admin, string plural, string name, long revision)
    {
        var owner = await admin.GetAsync($"{Apps}/{plural}/{name}").ExpectAsync(200);
        var template = owner["spec"]!["template"]!.DeepClone().AsObject();
        template["$patch"] = "replace";
        await admin.PostAsync($"{Apps}/controllerrevisions", Http.Json(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-r{revision}",
                ["labels"] = new JsonObject { ["app"] = name, ["controller-revision-hash"] = $"r{revision}" },
                ["annotations"] = owner["metadata"]!["annotations"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = (string)owner["kind"]!, ["name"] = name,
                    ["uid"] = owner["metadata"]!["uid"]!.DeepClone(), ["controller"] = true,
                }),
            },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } },
            ["revision"] = revision,
        })).ExpectAsync(201);
    }

    [Theory]
    [InlineData("DaemonSet", "daemonsets", "daemonset")]
    [InlineData("StatefulSet", "statefulsets", "statefulset")]
    public async Task History_ListsTheControllerRevisions_AndUndoAppliesThePreviousOnesTemplate(string kind, string plural, string type)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        await admin.PostAsync($"{Apps}/{plural}", Http.Yaml(Manifest(kind, "web", "httpd:2.3"))).ExpectAsync(201);
        await RecordAsync(admin, plural, "web", 1);
        await admin.PutAsync($"{Apps}/{plural}/web", Http.Yaml(Manifest(kind, "web", "httpd:2.4"))).ExpectAsync(200);
        await RecordAsync(admin, plural, "web", 2);
        var ctl = new CtlRunner(host);

        var history = await ctl.RunAsync($"rollout history {type}/web");
        Assert.Equal(0, history.Exit);
        var lines = history.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal($"{type}.apps/web", lines[0]);
        Assert.Matches("^REVISION +CHANGE-CAUSE$", lines[1]);
        Assert.Matches("^1 +image httpd:2.3$", lines[2]);
        Assert.Matches("^2 +image httpd:2.4$", lines[3]);
        var one = await ctl.RunAsync($"rollout history {type} web --revision 1");
        Assert.StartsWith($"{type}.apps/web with revision #1\nPod Template:\n", one.Out);
        Assert.Contains("image: httpd:2.3", one.Out);
        Assert.DoesNotContain("$patch", one.Out);

        Assert.Equal($"{type}.apps/web skipped rollback (current template already matches revision 2)", (await ctl.RunAsync($"rollout undo {type}/web --to-revision 2")).Out.Trim());
        var undo = await ctl.RunAsync($"rollout undo {type}/web");
        Assert.Equal(0, undo.Exit);
        Assert.Equal($"{type}.apps/web rolled back", undo.Out.Trim());
        var rolled = await admin.GetAsync($"{Apps}/{plural}/web").ExpectAsync(200);
        Assert.Equal("httpd:2.3", (string)rolled["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!);

        var pause = await ctl.RunAsync($"rollout pause {type}/web");
        Assert.Equal(1, pause.Exit);
        Assert.Contains($"{plural}.apps \"web\" pausing is not supported", pause.Err);

        // restart: the template gets kubectl's restartedAt annotation, which the controller rolls out like any change.
        var restart = await ctl.RunAsync($"rollout restart {type} web");
        Assert.Equal((0, $"{type}.apps/web restarted"), (restart.Exit, restart.Out.Trim()));
        var restarted = await admin.GetAsync($"{Apps}/{plural}/web").ExpectAsync(200);
        var at = DateTimeOffset.Parse((string)restarted["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - at, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal("httpd:2.3", (string)restarted["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!);
    }

    [Fact]
    public async Task Status_ReadsDaemonSetAndStatefulSetStatus_AsKubectlWordsIt()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        await admin.PostAsync($"{Apps}/daemonsets", Http.Yaml(Manifest("DaemonSet", "agent", "httpd:2.4"))).ExpectAsync(201);
        await admin.PostAsync($"{Apps}/statefulsets", Http.Yaml(Manifest("StatefulSet", "db", "httpd:2.4"))).ExpectAsync(201);
        var ctl = new CtlRunner(host);

        Assert.Equal("Waiting for daemon set spec update to be observed...", (await ctl.RunAsync("rollout status ds/agent -w=false")).Out.Trim());
        await admin.PatchAsync($"{Apps}/daemonsets/agent/status", """{"status":{"observedGeneration":1,"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":3,"updatedNumberScheduled":1,"numberMisscheduled":0}}""").ExpectAsync(200);
        Assert.Equal("Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...", (await ctl.RunAsync("rollout status ds/agent -w=false")).Out.Trim());
        await admin.PatchAsync($"{Apps}/daemonsets/agent/status", """{"status":{"updatedNumberScheduled":3,"numberAvailable":3}}""").ExpectAsync(200);
        Assert.Equal((0, "daemon set \"agent\" successfully rolled out"), await Once(ctl, "rollout status daemonset/agent"));

        await admin.PatchAsync($"{Apps}/statefulsets/db/status", """{"status":{"observedGeneration":1,"replicas":1,"readyReplicas":0}}""").ExpectAsync(200);
        Assert.Equal("Waiting for 1 pods to be ready...", (await ctl.RunAsync("rollout status sts/db -w=false")).Out.Trim());
        await admin.PatchAsync($"{Apps}/statefulsets/db/status", """{"status":{"readyReplicas":1,"updatedReplicas":1}}""").ExpectAsync(200);
        Assert.Equal((0, "partitioned roll out complete: 1 new pods have been updated..."), await Once(ctl, "rollout status statefulset/db"));

        await admin.PatchAsync($"{Apps}/daemonsets/agent", """{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}""").ExpectAsync(200);
        var onDelete = await ctl.RunAsync("rollout status ds/agent");
        Assert.Equal(1, onDelete.Exit);
        Assert.Contains("rollout status is only available for RollingUpdate strategy type", onDelete.Err);
    }

    private static async Task<(int, string)> Once(CtlRunner ctl, string args)
    {
        var r = await ctl.RunAsync(args);
        return (r.Exit, r.Out.Trim());
    }
}
