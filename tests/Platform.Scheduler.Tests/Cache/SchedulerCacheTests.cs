using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Cache;

public sealed class SchedulerCacheTests
{
    [Fact]
    public void AssumedPod_CountsUntilForgotten_ConfirmedPodStays()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Make.Node("n"));
        var pod = new PodInfo(Make.Pod("p", cpu: "1", memory: "1Gi"));
        cache.Assume(pod, "n");
        Assert.Equal(1000, cache.GetNode("n")!.RequestedMilliCpu);
        Assert.True(cache.IsAssumed("default/p"));

        cache.Forget("default/p");
        Assert.Equal(0, cache.GetNode("n")!.RequestedMilliCpu);

        cache.Assume(pod, "n");
        cache.AddOrUpdatePod(new PodInfo(Make.Pod("p", cpu: "1", memory: "1Gi").OnNode("n")));
        cache.Forget("default/p"); // the bound event confirmed it: forgetting is a no-op now
        Assert.Equal(1000, cache.GetNode("n")!.RequestedMilliCpu);
        Assert.Equal(1, cache.GetNode("n")!.PodCount);
    }

    [Fact]
    public void PodsArrivingBeforeTheirNode_AreKeptAndCountedWhenTheNodeArrives()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdatePod(new PodInfo(Make.Pod("p", cpu: "2").OnNode("late")));
        Assert.Empty(cache.Nodes);
        cache.AddOrUpdateNode(Make.Node("late"));
        Assert.Equal(2000, cache.GetNode("late")!.RequestedMilliCpu);
    }

    [Fact]
    public void NodeUpdate_ReportsChange_OnlyForWhatSchedulingReads()
    {
        var cache = new SchedulerCache();
        var node = Make.Node("n");
        Assert.True(cache.AddOrUpdateNode(node));
        var heartbeat = node with { Status = node.Status! with { Conditions = [new() { Type = "Ready", Status = "True", LastHeartbeatTime = DateTimeOffset.UtcNow }] } };
        Assert.False(cache.AddOrUpdateNode(heartbeat));
        Assert.True(cache.AddOrUpdateNode(Make.Node("n", cpu: "8")));
    }

    [Fact]
    public void LabelIndex_FindsMatchingPodsAcrossNodes()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdatePod(new PodInfo(Make.Pod("a", labels: ["app=web", "tier=front"]).OnNode("n1")));
        cache.AddOrUpdatePod(new PodInfo(Make.Pod("b", labels: ["app=web"]).OnNode("n2")));
        cache.AddOrUpdatePod(new PodInfo(Make.Pod("c", labels: ["app=db"]).OnNode("n2")));
        Assert.Equal(["a", "b"], cache.PodsMatching(Platform.Contracts.Resources.Selector.Parse("app=web")).Select(p => p.Name).Order());
        Assert.Equal(["a"], cache.PodsMatching(Platform.Contracts.Resources.Selector.Parse("app in (web),tier")).Select(p => p.Name));
        Assert.Equal(["a", "b", "c"], cache.PodsMatching(Platform.Contracts.Resources.Selector.Parse("app")).Select(p => p.Name).Order());
        cache.RemovePod("default/a");
        Assert.Equal(["b"], cache.PodsMatching(Platform.Contracts.Resources.Selector.Parse("app=web")).Select(p => p.Name));
    }
}
