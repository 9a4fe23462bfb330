using Platform.Contracts.Resources;
using Platform.Scheduler.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Integration;

/// <summary>The scheduler against a real apiserver on real Postgres and the Kafka protocol.</summary>
[Collection(SchedulerCollection.Name)]
public sealed class SchedulerProcessTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Zone = "topology.kubernetes.io/zone";

    private static readonly Dictionary<string, (Node Existing, Pod Pod, string Message, Node Fitting)> Pending = new()
    {
        ["untolerated taint"] = (Make.Node("gpu-1", taints: [Make.Taint("dedicated", "gpu")]), Make.Pod("web", cpu: "1"),
            "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}", Make.Node("plain-1")),
        ["request too large"] = (Make.Node("small-1", cpu: "2"), Make.Pod("batch", cpu: "6"),
            "0/1 nodes are available: 1 Insufficient cpu", Make.Node("big-1", cpu: "8")),
    };

    public static TheoryData<string> PendingCases => [.. Pending.Keys];

    [Theory]
    [MemberData(nameof(PendingCases))]
    public async Task PodThatFitsNowhere_StaysPendingWithReason_ThenAFittingNodeSchedulesIt_WithoutATimer(string name)
    {
        var (existing, pod, message, fitting) = Pending[name];
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var cluster = await Cluster.CreateAsync(api);
        await cluster.AddNodeAsync(existing);
        // A short back-off: if anything retried the pod on a timer, it would happen many times during the wait below.
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka, s =>
        {
            s["Scheduler:Queue:PodInitialBackoff"] = "00:00:00.050";
            s["Scheduler:Queue:PodMaxBackoff"] = "00:00:00.100";
        });
        await cluster.AddPodAsync(pod);

        var failed = await Eventually.WaitAsync(async () => (await cluster.EventsAsync(pod.Metadata.Name, "FailedScheduling")).FirstOrDefault(e => e.Message == message),
            TimeSpan.FromSeconds(30), "FailedScheduling with the reason");
        Assert.Equal("Warning", failed.Type);
        var condition = await Eventually.WaitAsync(async () => (await cluster.GetPodAsync(pod.Metadata.Name!)).Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled"),
            TimeSpan.FromSeconds(30), "PodScheduled condition");
        Assert.Equal(("False", "Unschedulable", message), (condition.Status, condition.Reason, condition.Message));

        // Twenty back-off periods later the pod is still parked and was not tried again: nothing retries it on a timer.
        var attempts = scheduler.Metrics.Attempts;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(attempts, scheduler.Metrics.Attempts);
        Assert.True(scheduler.Queue.IsUnschedulable($"{cluster.Namespace}/{pod.Metadata.Name}"), name);
        Assert.Null((await cluster.GetPodAsync(pod.Metadata.Name!)).Spec.NodeName);
        Assert.Equal("Pending", (await cluster.GetPodAsync(pod.Metadata.Name!)).Status?.Phase);

        await cluster.AddNodeAsync(fitting);
        Assert.Equal(fitting.Metadata.Name, await cluster.WaitBoundAsync(pod.Metadata.Name!));
        var scheduled = await cluster.WaitEventAsync(pod.Metadata.Name!, "Scheduled");
        Assert.Equal($"Successfully assigned {cluster.Namespace}/{pod.Metadata.Name} to {fitting.Metadata.Name}", scheduled.Message);
        Assert.Equal((attempts, 1L), (scheduler.Metrics.Unschedulable, scheduler.Metrics.Scheduled));
    }

    [Fact]
    public async Task TenReplicasWithMaxSkewOne_SpreadFourThreeThreeOverZones()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var cluster = await Cluster.CreateAsync(api);
        foreach (var z in new[] { "a", "b", "c" })
            for (var i = 1; i <= 2; i++) await cluster.AddNodeAsync(Make.Node($"node-{z}{i}", labels: [$"{Zone}={z}"]));
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka);
        for (var i = 0; i < 10; i++)
            await cluster.AddPodAsync(Make.Pod($"web-{i}", cpu: "100m", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web"));

        var nodes = new List<string>();
        for (var i = 0; i < 10; i++) nodes.Add(await cluster.WaitBoundAsync($"web-{i}"));
        Assert.Equal([3, 3, 4], nodes.GroupBy(n => n[5]).Select(g => g.Count()).Order());
    }

    [Fact]
    public async Task RequiredAntiAffinity_KeepsReplicasOnDistinctNodes_AndADeletedReplicaMakesRoom()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var cluster = await Cluster.CreateAsync(api);
        for (var i = 1; i <= 3; i++) await cluster.AddNodeAsync(Make.Node($"node-{i}"));
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka);
        var replica = (int i) => Make.Pod($"db-{i}", cpu: "100m", labels: ["app=db"]).WithAntiAffinity(Make.Term("kubernetes.io/hostname", "app=db"));
        for (var i = 0; i < 4; i++) await cluster.AddPodAsync(replica(i));

        // Pod events reach the scheduler through several partitions, so which replica is left over is not fixed.
        var pods = await Eventually.WaitAsync(async () =>
        {
            var all = await cluster.PodsAsync();
            return all.Count(p => p.Spec.NodeName is not null) == 3 ? all : null;
        }, TimeSpan.FromSeconds(60), "three replicas bound");
        var bound = pods.Where(p => p.Spec.NodeName is not null).ToList();
        Assert.Equal(3, bound.Select(p => p.Spec.NodeName).Distinct().Count());
        var pending = pods.Single(p => p.Spec.NodeName is null).Metadata.Name!;
        await Eventually.WaitAsync(async () => (await cluster.EventsAsync(pending, "FailedScheduling"))
            .Any(e => e.Message == "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules"), TimeSpan.FromSeconds(30), "FailedScheduling for the fourth replica");

        await cluster.DeletePodAsync(bound[0].Metadata.Name!);
        Assert.Equal(bound[0].Spec.NodeName, await cluster.WaitBoundAsync(pending));
    }

    [Fact]
    public async Task PreferredNodeAffinity_HigherWeightWins()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var cluster = await Cluster.CreateAsync(api);
        foreach (var z in new[] { "a", "b", "c" }) await cluster.AddNodeAsync(Make.Node($"node-{z}", labels: [$"{Zone}={z}"]));
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka);
        await cluster.AddPodAsync(Make.Pod("api", cpu: "100m").WithPreferredNodeAffinity((20, Make.Req(Zone, "In", "a")), (80, Make.Req(Zone, "In", "c"))));
        Assert.Equal("node-c", await cluster.WaitBoundAsync("api"));
    }
}
