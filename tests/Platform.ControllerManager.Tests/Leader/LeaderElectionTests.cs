using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;
using Xunit.Abstractions;

namespace Platform.ControllerManager.Tests.Leader;

[Collection(ControllerCollection.Name)]
public sealed class LeaderElectionTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    // Short but client-go-shaped timings: lease 4 s, renew deadline 3 s, retry 0.5 s.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _lease = ClusterApi.NewName("cm-leader");
    private readonly List<IAsyncDisposable> _instances = [];
    private string _ns = "";

    private string LeasePath => $"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{_lease}";

    public async Task InitializeAsync() => _ns = await _admin.CreateNamespaceAsync();

    private Dictionary<string, string?> Election(string identity) => new()
    {
        ["ControllerManager:LeaderElection:LeaseName"] = _lease,
        ["ControllerManager:LeaderElection:Identity"] = identity,
        ["ControllerManager:LeaderElection:LeaseDuration"] = "00:00:04",
        ["ControllerManager:LeaderElection:RenewDeadline"] = "00:00:03",
        ["ControllerManager:LeaderElection:RetryPeriod"] = "00:00:00.500",
    };

    private async Task<ControllerManagerHost> StartInProcessAsync(string identity, string? token = null)
    {
        token ??= await _admin.CreateTokenAsync("controller");
        var host = await ControllerManagerHost.StartAsync(cluster, token, s => { foreach (var (k, v) in Election(identity)) s[k] = v; });
        _instances.Add(host);
        return host;
    }

    /// <summary>A controller-manager as its own process, so the test can kill -9 it.</summary>
    private async Task<ServerProcess> StartProcessAsync(string identity)
    {
        var env = Election(identity).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        env["ControllerManager__ApiServerUrl"] = cluster.ApiServer.BaseAddress.ToString();
        env["ControllerManager__Token"] = await _admin.CreateTokenAsync("controller");
        env["ControllerManager__TopicPrefix"] = cluster.ApiServer.TopicPrefix;
        env["Kafka__BootstrapServers"] = cluster.Kafka.BootstrapServers;
        env["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var process = await ServerProcess.StartAsync(ControllerManagerDll(), Network.FreeTcpPort(), env, healthPath: "healthz");
        _instances.Add(process);
        return process;
    }

    private static string ControllerManagerDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "services", "controller-manager", "bin", dir.Parent!.Name, dir.Name, "Platform.ControllerManager.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build services/controller-manager first", dll);
    }

    private Task<Lease> WaitHolderAsync(string identity, TimeSpan timeout) =>
        Eventually.WaitAsync(async () => await _admin.GetAsync<Lease>(LeasePath) is { } l && l.Spec.HolderIdentity == identity ? l : null, timeout, $"lease held by {identity}");

    private static async Task<(HttpStatusCode Status, string Body)> ReadyzAsync(Uri instance)
    {
        using var http = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(5) };
        using var r = await http.GetAsync("/readyz");
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>The value of <c>leader_election_master_status{name="lease"}</c> on the instance's <c>/metrics</c>, or null.</summary>
    private async Task<string?> LeaderMetricAsync(Uri instance)
    {
        using var http = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(5) };
        var line = (await http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith($"leader_election_master_status{{name=\"{_lease}\"}} ", StringComparison.Ordinal));
        return line?.Split(' ')[1];
    }

    private async Task<int> PodCountAsync() => (await _admin.ListAsync<Pod>($"/api/v1/namespaces/{_ns}/pods?labelSelector=app%3Delected")).Count;

    private Task CreateReplicaSetAsync(int replicas) => _admin.CreateAsync($"/apis/apps/v1/namespaces/{_ns}/replicasets", new ReplicaSet
    {
        ApiVersion = "apps/v1", Kind = "ReplicaSet",
        Metadata = new ObjectMeta { Name = "elected" },
        Spec = new ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "elected" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "elected" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] },
            },
        },
    });

    private Task ScaleAsync(int replicas) => ClusterApi.SendAsync(_admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{_ns}/replicasets/elected",
        new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });

    /// <summary>Asserts the pod count stays exactly <paramref name="expected"/> for a while: a second reconciler would add duplicates.</summary>
    private async Task AssertStaysAsync(int expected, TimeSpan window)
    {
        var until = DateTime.UtcNow + window;
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(expected, await PodCountAsync());
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task TwoInstances_OnlyTheLeaderReconciles_AndTheStandbyTakesOverWithinTheLeaseDuration_WhenTheLeaderIsKilled()
    {
        var leader = await StartProcessAsync("leader-a");
        var first = await WaitHolderAsync("leader-a", TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(async () => await LeaderMetricAsync(leader.BaseAddress) == "1", TimeSpan.FromSeconds(10), "the leader's leader_election_master_status is 1");
        var standby = await StartInProcessAsync("standby-b");
        await Eventually.WaitAsync(async () => await ReadyzAsync(standby.BaseAddress) is { Status: HttpStatusCode.ServiceUnavailable } r && r.Body.Contains("Unhealthy", StringComparison.Ordinal)
                && r.Body.Contains("[-]leader-election failed: standing by: lease ", StringComparison.Ordinal) && r.Body.Contains("held by leader-a", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "standby's /readyz reports not ready, naming the leader");

        await CreateReplicaSetAsync(3);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 3, TimeSpan.FromSeconds(20), "3 pods");
        await AssertStaysAsync(3, TimeSpan.FromSeconds(2));
        Assert.Equal("leader-a", (await _admin.GetAsync<Lease>(LeasePath))!.Spec.HolderIdentity);

        // kill -9: no release, the standby must wait for the lease to expire.
        var clock = Stopwatch.StartNew();
        await leader.DisposeAsync();
        _instances.Remove(leader);
        var taken = await WaitHolderAsync("standby-b", LeaseDuration + TimeSpan.FromSeconds(10));
        output.WriteLine($"takeover after kill -9: {clock.Elapsed.TotalSeconds:0.0} s (lease duration {LeaseDuration.TotalSeconds} s)");
        Assert.Equal(first.Spec.LeaseTransitions + 1, taken.Spec.LeaseTransitions);
        Assert.True(taken.Spec.AcquireTime > first.Spec.AcquireTime);
        await Eventually.WaitAsync(async () => (await ReadyzAsync(standby.BaseAddress)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "new leader ready");
        Assert.Equal("1", await LeaderMetricAsync(standby.BaseAddress));

        await ScaleAsync(5);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 5, TimeSpan.FromSeconds(20), "the new leader scales to 5");
        await AssertStaysAsync(5, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task LeaderStoppedGracefully_ReleasesTheLease_AndTheStandbyTakesOverWithoutWaitingForExpiry()
    {
        var a = await StartInProcessAsync("graceful-a");
        await WaitHolderAsync("graceful-a", TimeSpan.FromSeconds(30));
        var b = await StartInProcessAsync("graceful-b");
        await CreateReplicaSetAsync(2);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 2, TimeSpan.FromSeconds(20), "2 pods");

        await a.DisposeAsync();
        _instances.Remove(a);
        var clock = Stopwatch.StartNew();
        await WaitHolderAsync("graceful-b", TimeSpan.FromSeconds(10));
        output.WriteLine($"takeover after a graceful stop: {clock.Elapsed.TotalSeconds:0.0} s");
        await ScaleAsync(4);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 4, TimeSpan.FromSeconds(20), "the new leader scales to 4");
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(b.BaseAddress)).Status);
    }

    [Fact]
    public async Task LeaderThatCannotRenew_StepsDown_ReportsNotReady_AndTheStandbyTakesOver()
    {
        var tokenName = ClusterApi.NewName("controller");
        var created = await ClusterApi.SendAsync(_admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens", new JsonObject { ["name"] = tokenName, ["role"] = "controller" });
        var a = await StartInProcessAsync("cut-off-a", (string)created["token"]!);
        await WaitHolderAsync("cut-off-a", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(a.BaseAddress)).Status);
        var b = await StartInProcessAsync("takes-over-b");

        // The leader's token is revoked: every renewal now fails with 401.
        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/apis/auth.platform.io/v1/tokens/{tokenName}");
        var stepped = await Eventually.WaitAsync(async () => await ReadyzAsync(a.BaseAddress) is { Status: HttpStatusCode.ServiceUnavailable } r ? r.Body : null,
            TimeSpan.FromSeconds(15), "the cut-off leader steps down");
        Assert.Contains("Unhealthy", stepped, StringComparison.Ordinal);
        Assert.Contains("[-]leader-election failed: standing by: lease ", stepped, StringComparison.Ordinal);
        await WaitHolderAsync("takes-over-b", LeaseDuration + TimeSpan.FromSeconds(10));
        await CreateReplicaSetAsync(2);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 2, TimeSpan.FromSeconds(20), "the new leader reconciles");
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(b.BaseAddress)).Status);
    }

    [Fact]
    public async Task LeaderWhoseLeaseIsTakenOver_StepsDown_AndLeadsAndReconcilesAgainOnceThatLeaseExpires()
    {
        var a = await StartInProcessAsync("comeback-a");
        await WaitHolderAsync("comeback-a", TimeSpan.FromSeconds(30));

        // Someone else writes the lease (as a partitioned leader's successor would): the renewals stop succeeding.
        // The leader renews twice a second, so the takeover retries on 409 until it wins a round.
        var intruder = await Eventually.WaitAsync(async () =>
        {
            var current = (await _admin.GetAsync<Lease>(LeasePath))!;
            // One instant for both: two clock reads can put renewTime a microsecond before acquireTime, which is invalid.
            var now = DateTimeOffset.UtcNow;
            var taken = current with { Spec = current.Spec with { HolderIdentity = "intruder", RenewTime = now, AcquireTime = now, LeaseTransitions = current.Spec.LeaseTransitions + 1 } };
            try
            {
                var written = await ClusterApi.SendAsync(_admin, HttpMethod.Put, LeasePath, System.Text.Json.JsonSerializer.SerializeToNode(taken, ResourceJson.Options));
                return System.Text.Json.JsonSerializer.Deserialize<Lease>(written, ResourceJson.Options);
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(10), "the intruder takes the lease");
        await Eventually.WaitAsync(async () => (await ReadyzAsync(a.BaseAddress)).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15), "the leader steps down");

        // The intruder never renews: once its lease expires the same process leads again, with restarted controllers.
        var again = await WaitHolderAsync("comeback-a", LeaseDuration + TimeSpan.FromSeconds(10));
        Assert.Equal(intruder.Spec.LeaseTransitions + 1, again.Spec.LeaseTransitions);
        await CreateReplicaSetAsync(2);
        await Eventually.WaitAsync(async () => await PodCountAsync() == 2, TimeSpan.FromSeconds(20), "the controllers reconcile again");
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(a.BaseAddress)).Status);
    }

    public async Task DisposeAsync()
    {
        foreach (var i in _instances) await i.DisposeAsync();
        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/namespaces/{_ns}");
        _admin.Dispose();
    }
}
