using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Sets;

/// <summary>StatefulSets end to end: controller-manager, a real node agent, dockerd, the apiserver process.</summary>
[Collection(ControllerCollection.Name)]
public sealed class StatefulSetTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("sts-node");
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(_node);
        await _scope.StartControllersAsync();
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    /// <summary>busybox httpd pods pinned to this test's node (spec.nodeName: no scheduler needed).</summary>
    private StatefulSet Stateful(string name, int replicas, string version = "v1", string policy = "OrderedReady", int partition = 0, string readyPath = "/index.html") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new ObjectMeta { Name = name },
        Spec = new StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            PodManagementPolicy = policy,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            UpdateStrategy = new StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateStatefulSetStrategy { Partition = partition } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec
                {
                    NodeName = _node,
                    TerminationGracePeriodSeconds = 1,
                    Containers = [ClusterApi.HttpdContainer(version: version) with
                    {
                        ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = readyPath, Port = "http" }, PeriodSeconds = 1 },
                    }],
                },
            },
        },
    };

    private string Path(string plural, string? name = null) =>
        $"/apis/apps/v1/namespaces/{_scope.Namespace}/{plural}" + (name is null ? "" : "/" + name);

    private async Task<Dictionary<string, Pod>> PodsAsync(string app) =>
        (await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3D{app}"))
            .Where(p => p.Metadata.DeletionTimestamp is null).ToDictionary(p => p.Metadata.Name!);

    private static string Version(Pod p) => p.Spec.Containers[0].Env!.Single(e => e.Name == "VERSION").Value!;

    private Task<Dictionary<string, Pod>> WaitAsync(string app, Func<Dictionary<string, Pod>, bool> done, string what, Action<Dictionary<string, Pod>>? sample = null, int seconds = 90) =>
        Eventually.WaitAsync(async () =>
        {
            var pods = await PodsAsync(app);
            sample?.Invoke(pods);
            return done(pods) ? pods : null;
        }, TimeSpan.FromSeconds(seconds), what, TimeSpan.FromMilliseconds(100));

    private static bool AllReady(Dictionary<string, Pod> pods, params string[] names) => names.All(n => pods.TryGetValue(n, out var p) && p.IsReady());

    [Fact]
    public async Task OrderedReady_CreatesInOrder_GivesStableIdentity_ServesHostnames_AndScalesDownFromTheTop()
    {
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec { ClusterIP = "None", Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });
        await _scope.Admin.CreateAsync(Path("statefulsets"), Stateful("web", 3));

        var violations = new List<string>();
        var pods = await WaitAsync("web", p => AllReady(p, "web-0", "web-1", "web-2"), "web-0..2 ready", p =>
        {
            if (p.ContainsKey("web-1") && !AllReady(p, "web-0")) violations.Add("web-1 exists while web-0 is not ready");
            if (p.ContainsKey("web-2") && !AllReady(p, "web-0", "web-1")) violations.Add("web-2 exists while web-1 is not ready");
        });
        Assert.Empty(violations);
        Assert.True(pods["web-1"].Metadata.CreationTimestamp >= ReadySince(pods["web-0"]), "web-1 was created before web-0 was ready");
        Assert.True(pods["web-2"].Metadata.CreationTimestamp >= ReadySince(pods["web-1"]), "web-2 was created before web-1 was ready");
        for (var i = 0; i < 3; i++)
        {
            var pod = pods[$"web-{i}"];
            Assert.Equal($"web-{i}", pod.Spec.Hostname);
            Assert.Equal("web", pod.Spec.Subdomain);
            Assert.Equal($"web-{i}", pod.Metadata.Labels![StatefulSet.PodNameLabel]);
            Assert.Equal($"{i}", pod.Metadata.Labels![StatefulSet.PodIndexLabel]);
        }

        // The headless Service's slice names each pod's endpoint by its hostname: what makes web-0.web.NS.svc resolve.
        var slice = await Eventually.WaitAsync(async () =>
            (await _scope.Admin.ListAsync<Platform.Contracts.Resources.EndpointSlice>($"/apis/discovery.k8s.io/v1/namespaces/{_scope.Namespace}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb"))
                .FirstOrDefault(s => s.Endpoints?.Count == 3), TimeSpan.FromSeconds(30), "the slice of web with 3 endpoints");
        Assert.Equal(["web-0", "web-1", "web-2"], slice.Endpoints!.Select(e => e.Hostname).Order());
        Assert.All(slice.Endpoints!, e => Assert.Equal(e.Hostname, e.TargetRef!.Name));

        var set = await Eventually.WaitAsync(async () =>
            await _scope.Admin.GetAsync<StatefulSet>(Path("statefulsets", "web")) is { Status: { ReadyReplicas: 3, AvailableReplicas: 3 } } s ? s : null, TimeSpan.FromSeconds(30), "status 3/3");
        Assert.Equal(3, set.Status!.Replicas);
        Assert.Equal(3, set.Status.CurrentReplicas);
        Assert.Equal(set.Status.CurrentRevision, set.Status.UpdateRevision);

        // Scale to 1 through the scale subresource: web-2 goes first, then web-1.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("statefulsets", "web") + "/scale", JsonNode.Parse("""{"spec":{"replicas":1}}"""));
        violations.Clear();
        await WaitAsync("web", p => p.Count == 1 && p.ContainsKey("web-0"), "scaled to web-0", p =>
        {
            if (!p.ContainsKey("web-1") && p.ContainsKey("web-2")) violations.Add("web-1 went before web-2");
        });
        Assert.Empty(violations);
        // The event recorder writes in the background: the last delete's event can land after the pod is gone.
        var deletes = await Eventually.WaitAsync(async () =>
        {
            var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
            var found = events.Where(e => e.Reason == "SuccessfulDelete").OrderBy(e => e.FirstTimestamp).Select(e => e.Message).ToList();
            return found.Count >= 2 ? found : null;
        }, TimeSpan.FromSeconds(30), "a SuccessfulDelete event for each of the two pods");
        Assert.Equal(["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"], deletes);
    }

    private static DateTimeOffset? ReadySince(Pod p) => p.Status?.Conditions?.Single(c => c.Type == "Ready").LastTransitionTime;

    [Fact]
    public async Task Parallel_CreatesEveryPodAtOnce_EvenWhileNoneIsReady()
    {
        await _scope.Admin.CreateAsync(Path("statefulsets"), Stateful("par", 3, policy: "Parallel", readyPath: "/never-ready"));
        var pods = await WaitAsync("par", p => p.Count == 3, "par-0..2 created");
        Assert.Equal(["par-0", "par-1", "par-2"], pods.Keys.Order());
        Assert.All(pods.Values, p => Assert.False(p.IsReady()));

        // The same set in order would wait for par-0 for ever.
        await _scope.Admin.CreateAsync(Path("statefulsets"), Stateful("ord", 3, readyPath: "/never-ready"));
        await WaitAsync("ord", p => p.ContainsKey("ord-0"), "ord-0 created");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(["ord-0"], (await PodsAsync("ord")).Keys);
    }

    [Fact]
    public async Task RollingUpdate_WithPartition_UpdatesOnlyTheOrdinalsAboveIt_ThenAll_AndUndoReturnsToTheOldRevision()
    {
        await _scope.Admin.CreateAsync(Path("statefulsets"), Stateful("db", 3, partition: 2));
        await WaitAsync("db", p => AllReady(p, "db-0", "db-1", "db-2"), "db-0..2 ready");

        await PatchAsync("db", new JsonObject { ["spec"] = new JsonObject { ["template"] = JsonSerializer.SerializeToNode(Stateful("db", 3, "v2").Spec.Template, ResourceJson.Options) } });
        await WaitAsync("db", p => p.Count == 3 && AllReady(p, "db-2") && Version(p["db-2"]) == "v2", "db-2 at v2");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var pods = await PodsAsync("db");
        Assert.Equal("v1", Version(pods["db-0"]));
        Assert.Equal("v1", Version(pods["db-1"]));
        var set = await Eventually.WaitAsync(async () =>
            await _scope.Admin.GetAsync<StatefulSet>(Path("statefulsets", "db")) is { Status: { UpdatedReplicas: 1, ReadyReplicas: 3 } } s ? s : null, TimeSpan.FromSeconds(30), "status: 1 updated");
        Assert.NotEqual(set.Status!.CurrentRevision, set.Status.UpdateRevision);
        Assert.Equal(2, set.Status.CurrentReplicas);

        // Partition 0: the rest follow, from the top down, and the update revision becomes the current one.
        await PatchAsync("db", JsonNode.Parse("""{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}""")!);
        await WaitAsync("db", p => p.Count == 3 && p.Values.All(x => x.IsReady() && Version(x) == "v2"), "db-0..2 at v2", seconds: 120);
        set = await Eventually.WaitAsync(async () =>
            await _scope.Admin.GetAsync<StatefulSet>(Path("statefulsets", "db")) is { Status: { UpdatedReplicas: 3, CurrentReplicas: 3 } } s ? s : null, TimeSpan.FromSeconds(30), "status: 3 current");
        Assert.Equal(set.Status!.UpdateRevision, set.Status.CurrentRevision);

        // What kubectl rollout undo does: the previous revision's data as a strategic merge patch. Its revision
        // becomes number 3 and the pods go back to v1.
        var revisions = (await _scope.Admin.ListAsync<ControllerRevision>(Path("controllerrevisions") + "?labelSelector=app%3Ddb")).OrderBy(r => r.Revision).ToList();
        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision));
        Assert.Equal(set.Status.UpdateRevision, revisions[1].Metadata.Name);
        using (var undo = new HttpRequestMessage(HttpMethod.Patch, Path("statefulsets", "db"))
        {
            Content = new StringContent(revisions[0].Data!.ToJsonString(), System.Text.Encoding.UTF8, "application/strategic-merge-patch+json"),
        })
            (await _scope.Admin.SendAsync(undo)).EnsureSuccessStatusCode();
        await WaitAsync("db", p => p.Count == 3 && p.Values.All(x => x.IsReady() && Version(x) == "v1"), "db-0..2 back at v1", seconds: 120);
        revisions = (await _scope.Admin.ListAsync<ControllerRevision>(Path("controllerrevisions"))).OrderBy(r => r.Revision).ToList();
        Assert.Equal([2L, 3L], revisions.Select(r => r.Revision));
        Assert.Equal("v1", revisions[1].Data!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>());
    }

    private Task PatchAsync(string name, JsonNode patch) => ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("statefulsets", name), patch);
}
