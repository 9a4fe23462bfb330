using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.NodePorts;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class NodePortsTests
{
    private const string Taken = "node(s) didn't have free ports for the requested pod ports";

    public static TheoryData<string, Pod, Pod[], string?, string?> Cases => new()
    {
        { "no ports asked", Make.Pod("p"), [Make.Pod("a").WithHostPort(8080).OnNode("n")], null, null },
        { "free host port", Make.Pod("p").WithHostPort(9090), [Make.Pod("a").WithHostPort(8080).OnNode("n")], null, null },
        { "host port held by a pod", Make.Pod("p").WithHostPort(8080), [Make.Pod("a").WithHostPort(8080).OnNode("n")], null, Taken },
        { "host port the node agent allocated", Make.Pod("p").WithHostPort(30001), [Make.Pod("a").OnNode("n") with { Status = new PodStatus { AllocatedPorts = new() { ["http"] = 30001 } } }], null, Taken },
        { "range has room for an allocated port", Make.Pod("p").WithHostPort(0), [Make.Pod("a").WithHostPort(0).OnNode("n")], "30000-30001", null },
        { "range exhausted", Make.Pod("p").WithHostPort(0), [Make.Pod("a").WithHostPort(0).OnNode("n"), Make.Pod("b").WithHostPort(0).OnNode("n")], "30000-30001", Taken },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_HostPortsAndPortRange(string name, Pod pod, Pod[] assigned, string? range, string? reason)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", portRange: range)).WithPods(assigned);
        var status = s.Filter(new NodePorts(), pod, "n");
        Assert.True(reason is null ? status.IsSuccess : status.Code == StatusCode.Unschedulable && status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }
}
