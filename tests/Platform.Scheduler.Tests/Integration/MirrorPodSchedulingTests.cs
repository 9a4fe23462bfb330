using Platform.Contracts.Resources;
using Platform.Scheduler.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Integration;

/// <summary>A static pod's mirror arrives already bound: the scheduler leaves it alone but counts what it uses.</summary>
[Collection(SchedulerCollection.Name)]
public sealed class MirrorPodSchedulingTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task BoundMirrorPod_IsNeverScheduled_ButItsRequestsCountOnItsNode()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        var cluster = await Cluster.CreateAsync(api);
        await cluster.AddNodeAsync(Make.Node("small", cpu: "2"));
        var mirror = Make.Pod("etcd-small", cpu: "1500m").OnNode("small");
        mirror = mirror with
        {
            Metadata = mirror.Metadata with { Annotations = new() { ["kubernetes.io/config.mirror"] = "0123456789abcdef0123456789abcdef", ["kubernetes.io/config.source"] = "file" } },
        };
        await cluster.AddPodAsync(mirror);
        // Started after the mirror exists, so its initial list holds it whatever order the Kafka partitions deliver in.
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka);
        await cluster.AddPodAsync(Make.Pod("web", cpu: "1"));

        var failed = await cluster.WaitEventAsync("web", "FailedScheduling");
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu", failed.Message);
        Assert.Empty(await cluster.EventsAsync("etcd-small"));
        var stored = await cluster.GetPodAsync("etcd-small");
        Assert.Equal("small", stored.Spec.NodeName);
        Assert.Null(stored.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False"));
        Assert.False(scheduler.Queue.IsUnschedulable($"{cluster.Namespace}/etcd-small"));
    }
}
