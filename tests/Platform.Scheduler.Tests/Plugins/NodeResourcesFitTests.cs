using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.NodeResourcesFit;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class NodeResourcesFitTests
{
    public static TheoryData<string, Pod, Pod[], string[]> FilterCases => new()
    {
        { "fits an empty node", Make.Pod("p", cpu: "1", memory: "1Gi"), [], [] },
        { "no requests fit anywhere", Make.Pod("p"), [Make.Pod("big", cpu: "4", memory: "8Gi").OnNode("n")], [] },
        { "cpu larger than allocatable", Make.Pod("p", cpu: "5"), [], ["Insufficient cpu"] },
        { "memory larger than allocatable", Make.Pod("p", memory: "9Gi"), [], ["Insufficient memory"] },
        { "both too large", Make.Pod("p", cpu: "4500m", memory: "10Gi"), [], ["Insufficient cpu", "Insufficient memory"] },
        { "assigned pods reduce what is left", Make.Pod("p", cpu: "1"), [Make.Pod("a", cpu: "3500m").OnNode("n")], ["Insufficient cpu"] },
        { "exactly what is left fits", Make.Pod("p", cpu: "500m"), [Make.Pod("a", cpu: "3500m").OnNode("n")], [] },
        { "limits count as requests when requests are missing", Make.Pod("p").With(s => s with { Containers = [s.Containers[0] with { Resources = new ResourceRequirements { Limits = new ResourceList(new Dictionary<string, string> { ["cpu"] = "6" }) } }] }), [], ["Insufficient cpu"] },
        { "extended resource the node lacks", Make.Pod("p").With(s => s with { Containers = [s.Containers[0] with { Resources = new ResourceRequirements { Requests = new ResourceList(new Dictionary<string, string> { ["example.com/gpu"] = "1" }) } }] }), [], ["Insufficient example.com/gpu"] },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_ComparesRequestsWithAllocatableMinusAssigned(string name, Pod pod, Pod[] assigned, string[] reasons)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", cpu: "4", memory: "8Gi")).WithPods(assigned);
        var status = s.Filter(new NodeResourcesFit(new NodeResourcesFitArgs()), pod, "n");
        Assert.True(reasons.SequenceEqual(status.Reasons), $"{name}: got {status}");
        Assert.Equal(reasons.Length == 0 ? StatusCode.Success : StatusCode.Unschedulable, status.Code);
    }

    [Fact]
    public void Filter_NodeAtItsPodLimit_SaysTooManyPods()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", pods: "1")).WithPods(Make.Pod("a").OnNode("n"));
        var status = s.Filter(new NodeResourcesFit(new NodeResourcesFitArgs()), Make.Pod("p"), "n");
        Assert.Equal(["Too many pods"], status.Reasons);
    }

    [Fact]
    public void Filter_AssumedPodsCount_BeforeTheirBindingIsConfirmed()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", cpu: "4"));
        s.Cache.Assume(new PodInfo(Make.Pod("a", cpu: "3")), "n");
        Assert.Equal(["Insufficient cpu"], s.Filter(new NodeResourcesFit(new NodeResourcesFitArgs()), Make.Pod("p", cpu: "2"), "n").Reasons);
        s.Cache.Forget("default/a");
        Assert.True(s.Filter(new NodeResourcesFit(new NodeResourcesFitArgs()), Make.Pod("p", cpu: "2"), "n").IsSuccess);
    }

    public static TheoryData<ScoringStrategyType, long, long> ScoreCases => new()
    {
        // pod 1 cpu / 2Gi on an empty 4 cpu / 8Gi node ("empty") and on one already requesting 2 cpu / 4Gi ("half").
        { ScoringStrategyType.LeastAllocated, 75, 25 },
        { ScoringStrategyType.MostAllocated, 25, 75 },
        { ScoringStrategyType.RequestedToCapacityRatio, 25, 75 },
    };

    [Theory]
    [MemberData(nameof(ScoreCases))]
    public void Score_FollowsTheStrategy(ScoringStrategyType strategy, long empty, long half)
    {
        var s = new TestScheduler().WithNodes(Make.Node("empty"), Make.Node("half")).WithPods(Make.Pod("a", cpu: "2", memory: "4Gi").OnNode("half"));
        var scores = s.Scores(new NodeResourcesFit(new NodeResourcesFitArgs { Strategy = strategy }), Make.Pod("p", cpu: "1", memory: "2Gi"));
        Assert.Equal(empty, scores["empty"]);
        Assert.Equal(half, scores["half"]);
    }

    [Fact]
    public void Score_RequestedToCapacityRatio_FollowsTheConfiguredShape()
    {
        // A curve that prefers emptier nodes: utilization 0 → 10, 100 → 0.
        var args = new NodeResourcesFitArgs { Strategy = ScoringStrategyType.RequestedToCapacityRatio, Shape = [new() { Utilization = 0, Score = 10 }, new() { Utilization = 100, Score = 0 }] };
        var s = new TestScheduler().WithNodes(Make.Node("empty"));
        Assert.Equal(75, s.Scores(new NodeResourcesFit(args), Make.Pod("p", cpu: "1", memory: "2Gi"))["empty"]);
    }
}
