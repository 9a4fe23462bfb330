using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;
using RS = Platform.Contracts.Resources.ReplicaSet;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// A controller's status write is conditional on the resourceVersion its informer gave: computed from a view older than
/// the object (another writer got there first, or the cache has not seen this controller's own last write), it is
/// refused with 409 and tried again, and written once the cache has caught up. The ReplicaSet controller runs against
/// the real apiserver with its cache fed by the test, which decides how stale the view is.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class StatusPreconditionTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task StatusFromAStaleView_IsRefusedAndRetried_ThenWrittenOnTheCurrentVersion()
    {
        var ns = _scope.Namespace;
        var path = $"/apis/apps/v1/namespaces/{ns}/replicasets/web";
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{ns}/replicasets", Web());
        var seen = (await _scope.Admin.GetAsync<RS>(path))!;

        // Another writer's status after the version the cache holds: what it wrote must not be overwritten from that view.
        var other = new JsonObject { ["status"] = new JsonObject { ["replicas"] = 0, ["observedGeneration"] = 0 } };
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, path + "/status", other);
        var current = (await _scope.Admin.GetAsync<RS>(path))!;
        Assert.NotEqual(seen.Metadata.ResourceVersion, current.Metadata.ResourceVersion);

        var writes = new StatusWrites { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(writes) { BaseAddress = _scope.Admin.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await _scope.Admin.CreateTokenAsync("controller"));
        var api = new ApiClient(http);
        var informers = new ClusterInformers(new SharedInformerFactory(api, TimeProvider.System, NullLoggerFactory.Instance));
        informers.ReplicaSets.Replace([seen], 1);
        informers.SyncRestEmpty();
        using var controller = new ReplicaSetController(informers, api,
            new EventRecorder(api, new EventRecorderOptions { Component = "controller-manager" }, TimeProvider.System, NullLogger<EventRecorder>.Instance),
            Options.Create(new ControllerManagerOptions { Workers = 1 }), TimeProvider.System, NullLogger<ReplicaSetController>.Instance);
        await controller.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.WaitAsync(() => writes.Codes.Count(c => c == HttpStatusCode.Conflict) >= 2, TimeSpan.FromSeconds(20),
                "the status from the stale view refused, and refused again on the retry");
            Assert.DoesNotContain(HttpStatusCode.OK, writes.Codes);
            var kept = (await _scope.Admin.GetAsync<RS>(path))!;
            Assert.Equal((current.Metadata.ResourceVersion, 0L), (kept.Metadata.ResourceVersion, kept.Status?.ObservedGeneration));

            // The cache catches up: the same reconcile writes, on the version it now holds.
            informers.ReplicaSets.Observe(current);
            var written = await Eventually.WaitAsync(async () =>
                await _scope.Admin.GetAsync<RS>(path) is { Status.ObservedGeneration: 1 } r ? r : null,
                TimeSpan.FromSeconds(90), "the status written once the informer holds the current version");
            Assert.Equal(0, written.Status!.Replicas);
            Assert.Contains(HttpStatusCode.OK, writes.Codes);
        }
        finally
        {
            await controller.StopAsync(CancellationToken.None);
        }
    }

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
