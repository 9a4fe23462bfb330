using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Disruption;
using Platform.ControllerManager.Controllers.NodeLifecycle;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;
using PDB = Platform.Contracts.Resources.PodDisruptionBudget;
using RS = Platform.Contracts.Resources.ReplicaSet;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// A controller's status write is conditional on the resourceVersion its informer gave: computed from a view older than
/// the object (another writer got there first, or the cache has not seen this controller's own last write), it is
/// refused with 409 and tried again, and written once the cache has caught up. Each controller (ReplicaSet, disruption,
/// node lifecycle) runs against the real apiserver with its cache fed by the test, which decides how stale the view is.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class StatusPreconditionTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task ReplicaSetStatusFromAStaleView_IsRefusedAndRetried_ThenWrittenOnTheCurrentVersion()
    {
        var path = $"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets/web";
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets", Web());
        var seen = (await _scope.Admin.GetAsync<RS>(path))!;
        // Another writer's status after the version the cache holds (a second controller-manager during a handover).
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, path + "/status",
            new JsonObject { ["status"] = new JsonObject { ["replicas"] = 0, ["observedGeneration"] = 0 } });
        var current = (await _scope.Admin.GetAsync<RS>(path))!;

        await using var run = await StaleRun.StartAsync(_scope, i => i.ReplicaSets.Replace([seen], 1),
            (informers, api, time) => new ReplicaSetController(informers, api,
                new EventRecorder(api, new EventRecorderOptions { Component = "controller-manager" }, time, NullLogger<EventRecorder>.Instance),
                Options.Create(new ControllerManagerOptions { Workers = 1 }), time, NullLogger<ReplicaSetController>.Instance));
        await run.RefusedTwiceAsync();
        var kept = (await _scope.Admin.GetAsync<RS>(path))!;
        Assert.Equal((current.Metadata.ResourceVersion, 0L), (kept.Metadata.ResourceVersion, kept.Status?.ObservedGeneration));

        // The cache catches up: the same reconcile writes, on the version it now holds.
        run.Informers.ReplicaSets.Observe(current);
        var written = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<RS>(path) is { Status.ObservedGeneration: 1 } r ? r : null,
            TimeSpan.FromSeconds(90), "the status written once the informer holds the current version");
        Assert.Equal(0, written.Status!.Replicas);
        Assert.Contains(HttpStatusCode.OK, run.Writes.Codes);
    }

    /// <summary>
    /// Why it matters: the eviction API spends a budget by writing the PodDisruptionBudget's status (the pod under way
    /// in <c>disruptedPods</c>, one fewer <c>disruptionsAllowed</c>). The disruption controller, whose cache has not
    /// seen that write yet, would count the evicted pod healthy and give the disruption back.
    /// </summary>
    [Fact]
    public async Task DisruptionBudgetSpentByAnEviction_IsNotGivenBackFromAStaleView()
    {
        var ns = _scope.Namespace;
        var path = $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/budget";
        await _scope.Admin.CreateAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", new PDB
        {
            ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = new ObjectMeta { Name = "budget" },
            Spec = new PodDisruptionBudgetSpec { MinAvailable = new IntOrString(1), Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } } },
        });
        var seen = (await _scope.Admin.GetAsync<PDB>(path))!;
        var evicted = DateTimeOffset.UtcNow;
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, path + "/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1, ["disruptionsAllowed"] = 0, ["currentHealthy"] = 2, ["desiredHealthy"] = 1, ["expectedPods"] = 2,
                ["disruptedPods"] = new JsonObject { ["web-a"] = evicted.ToString("O") },
            },
        });
        var spent = (await _scope.Admin.GetAsync<PDB>(path))!;

        await using var run = await StaleRun.StartAsync(_scope, i =>
            {
                i.PodDisruptionBudgets.Replace([seen], 1);
                i.Pods.Replace([ReadyPod(ns, "web-a"), ReadyPod(ns, "web-b")], 1);
            },
            (informers, api, time) => new DisruptionController(informers, api, Options.Create(new ControllerManagerOptions { Workers = 1 }), time,
                NullLogger<DisruptionController>.Instance));
        await run.RefusedTwiceAsync();
        Assert.Equal(0, (await _scope.Admin.GetAsync<PDB>(path))!.Status!.DisruptionsAllowed);

        run.Informers.PodDisruptionBudgets.Observe(spent);
        // From the current view the pod under eviction is not healthy: one healthy, none allowed.
        var after = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PDB>(path) is { Status.CurrentHealthy: 1 } p ? p : null,
            TimeSpan.FromSeconds(90), "the status written once the informer holds the spent budget");
        Assert.Equal(0, after.Status!.DisruptionsAllowed);
        Assert.Equal(["web-a"], after.Status.DisruptedPods!.Keys);
    }

    /// <summary>
    /// A node whose agent posted status (a fresh heartbeat) after the version in the node lifecycle controller's cache
    /// is not marked <c>Ready=Unknown</c> (nor tainted, nor its pods evicted) from that old view.
    /// </summary>
    [Fact]
    public async Task NodeWhoseFreshHeartbeatTheCacheHasNotSeen_IsNotMarkedUnknown()
    {
        var name = ClusterApi.NewName("node");
        var path = $"/api/v1/nodes/{name}";
        await _scope.Admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = name }, Spec = new NodeSpec() });
        try
        {
            var created = (await _scope.Admin.GetAsync<Node>(path))!;
            // The cache's version: the agent's last word ten minutes old (silent for longer than the 40 s grace).
            var seen = created with { Status = new NodeStatus { Conditions = [Ready(DateTimeOffset.UtcNow.AddMinutes(-10))] } };
            // What the apiserver holds: the agent has just posted.
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, path + "/status", new JsonObject
            {
                ["status"] = new JsonObject { ["conditions"] = System.Text.Json.JsonSerializer.SerializeToNode(new[] { Ready(DateTimeOffset.UtcNow) }, ResourceJson.Options) },
            });

            await using var run = await StaleRun.StartAsync(_scope, i => i.Nodes.Replace([seen], 1),
                (informers, api, time) => new NodeLifecycleController(informers, api,
                    new EventRecorder(api, new EventRecorderOptions { Component = "controller-manager" }, time, NullLogger<EventRecorder>.Instance),
                    Options.Create(new ControllerManagerOptions { NodeMonitorPeriod = TimeSpan.FromMilliseconds(200) }), time,
                    NullLogger<NodeLifecycleController>.Instance));
            await run.RefusedTwiceAsync();
            var node = (await _scope.Admin.GetAsync<Node>(path))!;
            Assert.Equal("True", node.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
            Assert.DoesNotContain(node.Spec.Taints ?? [], t => t.Key == NodeLifecycleController.UnreachableTaint);
        }
        finally
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, path);
        }
    }

    private static Condition Ready(DateTimeOffset heartbeat) =>
        new() { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = heartbeat, LastTransitionTime = heartbeat };

    private static Pod ReadyPod(string ns, string name) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = name, ResourceVersion = "1", Labels = new() { ["app"] = "web" } },
        Spec = new PodSpec(),
        Status = new PodStatus { Phase = "Running", Conditions = [new Condition { Type = "Ready", Status = "True" }] },
    };

    private static RS Web() => new()
    {
        ApiVersion = "apps/v1", Kind = "ReplicaSet",
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ReplicaSetSpec
        {
            Replicas = 0,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
            },
        },
    };

    /// <summary>
    /// A controller against the real apiserver (with a controller token) whose cache holds what <c>seed</c> put in it and
    /// nothing else, so the test decides how stale its view is.
    /// </summary>
    private sealed class StaleRun : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly Microsoft.Extensions.Hosting.BackgroundService _controller;

        private StaleRun(HttpClient http, StatusWrites writes, ClusterInformers informers, Microsoft.Extensions.Hosting.BackgroundService controller)
        {
            _http = http;
            Writes = writes;
            Informers = informers;
            _controller = controller;
        }

        public StatusWrites Writes { get; }
        public ClusterInformers Informers { get; }

        public static async Task<StaleRun> StartAsync(TestScope scope, Action<ClusterInformers> seed,
            Func<ClusterInformers, ApiClient, TimeProvider, Microsoft.Extensions.Hosting.BackgroundService> controller)
        {
            var writes = new StatusWrites { InnerHandler = new HttpClientHandler() };
            var http = new HttpClient(writes) { BaseAddress = scope.Admin.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Bearer", await scope.Admin.CreateTokenAsync("controller"));
            var api = new ApiClient(http);
            var informers = new ClusterInformers(new SharedInformerFactory(api, TimeProvider.System, NullLoggerFactory.Instance));
            seed(informers);
            informers.SyncRestEmpty();
            var run = new StaleRun(http, writes, informers, controller(informers, api, TimeProvider.System));
            await run._controller.StartAsync(CancellationToken.None);
            return run;
        }

        /// <summary>The status computed from the stale view was refused, and refused again on the retry; nothing was written.</summary>
        public async Task RefusedTwiceAsync()
        {
            await Eventually.WaitAsync(() => Writes.Codes.Count(c => c == HttpStatusCode.Conflict) >= 2, TimeSpan.FromSeconds(20),
                "the status from the stale view refused, and refused again on the retry");
            Assert.DoesNotContain(HttpStatusCode.OK, Writes.Codes);
        }

        public async ValueTask DisposeAsync()
        {
            await _controller.StopAsync(CancellationToken.None);
            _controller.Dispose();
            _http.Dispose();
        }
    }

    /// <summary>The answers to the controller's status writes, in order.</summary>
    private sealed class StatusWrites : DelegatingHandler
    {
        public ConcurrentQueue<HttpStatusCode> Codes { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.EndsWith("/status", StringComparison.Ordinal))
                Codes.Enqueue(response.StatusCode);
            return response;
        }
    }
}
