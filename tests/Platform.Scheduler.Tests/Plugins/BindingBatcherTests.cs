using System.Collections.Concurrent;
using System.Net;
using Platform.ApiServer.Client;
using Platform.Scheduler.Plugins.DefaultBinder;
using Platform.Scheduler.Tests.Integration;
using Platform.Scheduler.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Plugins;

/// <summary>The bind workers' bindings gathered into the apiserver's batch call, against a real apiserver.</summary>
[Collection(SchedulerCollection.Name)]
public sealed class BindingBatcherTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ConcurrentBindings_GoOutInFewBatchRequests_EachPodGetsItsOwnOutcome()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var (cluster, names) = await PodsAsync(api, 40);
        await cluster.AddPodAsync(Make.Pod("bound-already"));
        var calls = new RequestLog();
        using var http = Client(api, calls);
        var client = new ApiClient(http);
        Assert.Equal(BindOutcome.Bound, await client.BindAsync(cluster.Namespace, "bound-already", "node-1", CancellationToken.None));
        calls.Clear();
        using var batcher = new BindingBatcher(client, new SchedulerOptions { BindBatchSize = 100 });

        var outcomes = await Task.WhenAll(names.Append("bound-already").Append("no-such-pod")
            .Select(n => batcher.BindAsync(cluster.Namespace, n, "node-1", CancellationToken.None)));

        Assert.All(outcomes.Take(40), o => Assert.Equal(BindOutcome.Bound, o.Outcome));
        Assert.Equal(BindOutcome.AlreadyBound, outcomes[40].Outcome);
        Assert.Equal(BindOutcome.NotFound, outcomes[41].Outcome);
        Assert.All(names, n => Assert.Equal("node-1", cluster.GetPodAsync(n).Result.Spec.NodeName));
        Assert.Equal(0, calls.Count("/binding"));
        var batches = calls.Count(ApiClient.BatchBindingsPath);
        Assert.InRange(batches, 1, 10); // 42 bindings asked for at once: the first request carries what was queued, the next what queued meanwhile
    }

    [Fact]
    public async Task BatchSizeOne_OrAnApiServerWithoutTheBatchCall_BindsPodByPod()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var (cluster, names) = await PodsAsync(api, 6);
        var calls = new RequestLog();
        using var http = Client(api, calls, refuseBatch: true);
        var client = new ApiClient(http);

        using (var single = new BindingBatcher(client, new SchedulerOptions { BindBatchSize = 1 }))
            Assert.All(await Task.WhenAll(names.Take(3).Select(n => single.BindAsync(cluster.Namespace, n, "node-1", CancellationToken.None))),
                o => Assert.Equal(BindOutcome.Bound, o.Outcome));
        Assert.Equal(0, calls.Count(ApiClient.BatchBindingsPath));
        Assert.Equal(3, calls.Count("/binding"));

        // An older apiserver answers 404 to the batch path: the batch is bound pod by pod, and so is everything after.
        calls.Clear();
        using var batcher = new BindingBatcher(client, new SchedulerOptions { BindBatchSize = 100 });
        Assert.All(await Task.WhenAll(names.Skip(3).Select(n => batcher.BindAsync(cluster.Namespace, n, "node-1", CancellationToken.None))),
            o => Assert.Equal(BindOutcome.Bound, o.Outcome));
        Assert.InRange(calls.Count(ApiClient.BatchBindingsPath), 1, 2);
        Assert.Equal(3, calls.Count("/binding"));
        Assert.All(names, n => Assert.Equal("node-1", cluster.GetPodAsync(n).Result.Spec.NodeName));
    }

    private static async Task<(Cluster, List<string>)> PodsAsync(ApiServerHost api, int count)
    {
        var cluster = await Cluster.CreateAsync(api);
        await cluster.AddNodeAsync(Make.Node("node-1", pods: "200"));
        var names = Enumerable.Range(0, count).Select(i => $"p{i:00}").ToList();
        foreach (var name in names) await cluster.AddPodAsync(Make.Pod(name));
        return (cluster, names);
    }

    private static HttpClient Client(ApiServerHost api, RequestLog log, bool refuseBatch = false) =>
        new(new Recorder(log, refuseBatch) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = api.BaseAddress,
            DefaultRequestHeaders = { Authorization = new("Bearer", api.AdminToken) },
        };

    private sealed class RequestLog
    {
        private readonly ConcurrentQueue<string> _paths = new();
        public void Add(string path) => _paths.Enqueue(path);
        public void Clear() => _paths.Clear();
        public int Count(string suffix) => _paths.Count(p => p.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>Notes each POST's path; with <c>refuseBatch</c> answers the batch path 404, as an apiserver without it does.</summary>
    private sealed class Recorder(RequestLog log, bool refuseBatch) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.Method != HttpMethod.Post) return base.SendAsync(request, ct);
            var path = request.RequestUri!.AbsolutePath;
            log.Add(path);
            return refuseBatch && path == ApiClient.BatchBindingsPath
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"kind":"Status","code":404}""") })
                : base.SendAsync(request, ct);
        }
    }
}
