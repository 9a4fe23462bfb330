using Platform.Contracts.Resources;
using Platform.Scheduler.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Integration;

/// <summary>
/// Preemption with the real apiserver: nodes full of low-priority pods; a pod whose class says <c>Never</c> waits,
/// a high-priority pod evicts one victim (with a <c>Preempted</c> event naming it) and runs where the victim was.
/// </summary>
[Collection(SchedulerCollection.Name)]
public sealed class PreemptionTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static Pod Pod(string name, string priorityClass) =>
        Make.Pod(name, cpu: "1").With(s => s with { PriorityClassName = priorityClass });

    [Fact]
    public async Task HighPriorityPod_EvictsTheFewestVictims_WhilePreemptionPolicyNeverWaits()
    {
        await using var api = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = api.AdminClient();
        foreach (var (name, value, policy) in new[] { ("low", 10, "PreemptLowerPriority"), ("polite", 1000, "Never"), ("high", 1000, "PreemptLowerPriority") })
            await admin.PostAsync("/apis/scheduling.k8s.io/v1/priorityclasses", Http.Yaml($"""
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {"{"}name: {name}{"}"}
                value: {value}
                preemptionPolicy: {policy}
                """)).ExpectAsync(201);
        var cluster = await Cluster.CreateAsync(api);
        await cluster.AddNodeAsync(Make.Node("n1", cpu: "2"));
        await cluster.AddNodeAsync(Make.Node("n2", cpu: "2"));
        await using var scheduler = await SchedulerHost.StartAsync(api, kafka);
        string[] fillers = ["low-1", "low-2", "low-3", "low-4"];
        foreach (var name in fillers) await cluster.AddPodAsync(Pod(name, "low"));
        foreach (var name in fillers) await cluster.WaitBoundAsync(name);

        // Never: unschedulable, and nothing is evicted for it.
        await cluster.AddPodAsync(Pod("patient", "polite"));
        var failed = await cluster.WaitEventAsync("patient", "FailedScheduling");
        Assert.Equal("0/2 nodes are available: 2 Insufficient cpu", failed.Message);
        Assert.Equal(5, (await cluster.PodsAsync()).Count);
        Assert.Null((await cluster.GetPodAsync("patient")).Spec.NodeName);
        await cluster.DeletePodAsync("patient");

        await cluster.AddPodAsync(Pod("vip", "high"));
        var node = await cluster.WaitBoundAsync("vip", TimeSpan.FromSeconds(60));
        var vip = await cluster.GetPodAsync("vip");
        Assert.Equal(1000, vip.Spec.Priority);
        Assert.Equal(node, vip.Status?.NominatedNodeName);
        var left = (await cluster.PodsAsync()).Where(p => p.Metadata.Name!.StartsWith("low-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, left.Count);
        var victim = fillers.Single(f => left.All(p => p.Metadata.Name != f));
        var preempted = await cluster.WaitEventAsync(victim, "Preempted");
        Assert.Equal($"Preempted by pod {vip.Metadata.Uid} on node {node}", preempted.Message);
    }
}
