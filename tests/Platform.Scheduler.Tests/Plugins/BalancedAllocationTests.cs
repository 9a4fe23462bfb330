using Platform.Scheduler.Plugins.BalancedAllocation;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class BalancedAllocationTests
{
    [Fact]
    public void Score_PrefersTheNodeWhereCpuAndMemoryStayEven()
    {
        // With the pod (1 cpu, 2Gi): "even" is at 50% cpu / 50% memory, "skewed" at 75% cpu / 25% memory.
        var s = new TestScheduler().WithNodes(Make.Node("even"), Make.Node("skewed"))
            .WithPods(Make.Pod("a", cpu: "1", memory: "2Gi").OnNode("even"), Make.Pod("b", cpu: "2", memory: "1Mi").OnNode("skewed"));
        var scores = s.Scores(new BalancedAllocation(), Make.Pod("p", cpu: "1", memory: "2Gi"));
        Assert.Equal(100, scores["even"]);
        Assert.Equal(75, scores["skewed"]);
    }
}
