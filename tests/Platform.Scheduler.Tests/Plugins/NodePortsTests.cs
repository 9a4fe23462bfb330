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
        { "range has room for an allocated port", HostNet("p"), [HostNet("a").OnNode("n")], "30000-30001", null },
        { "range exhausted", HostNet("p"), [HostNet("a").OnNode("n"), HostNet("b").OnNode("n")], "30000-30001", Taken },
        { "pod-network pods take no node port", Make.Pod("p").WithHostPort(0), [Make.Pod("a").WithHostPort(0).OnNode("n"), Make.Pod("b").WithHostPort(0).OnNode("n")], "30000-30001", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_HostPortsAndPortRange(string name, Pod pod, Pod[] assigned, string? range, string? reason)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", portRange: range)).WithPods(assigned);
        var status = s.Filter(new NodePorts(), pod, "n");
        Assert.True(reason is null ? status.IsSuccess : status.Code == StatusCode.Unschedulable && status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }

    [Fact]
    public void Filter_ThreePodNetworkPodsWithContainerPort80_FitOneNode()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", portRange: "30000-30000"));
        for (var i = 0; i < 3; i++)
        {
            var pod = Port80($"web-{i}");
            Assert.True(s.Filter(new NodePorts(), pod, "n").IsSuccess, $"web-{i} should fit beside the others");
            s.WithPods(pod.OnNode("n"));
        }
        // A hostPort is still a node resource: the first takes port 80, the second does not fit.
        Assert.True(s.Filter(new NodePorts(), Port80("host-a", hostPort: 80), "n").IsSuccess);
        s.WithPods(Port80("host-a", hostPort: 80).OnNode("n"));
        Assert.Equal(StatusCode.Unschedulable, s.Filter(new NodePorts(), Port80("host-b", hostPort: 80), "n").Code);
    }

    private static Pod HostNet(string name) => Make.Pod(name).WithHostPort(0).With(s => s with { HostNetwork = true });

    private static Pod Port80(string name, int? hostPort = null) => Make.Pod(name).With(s => s with
    {
        Containers = [s.Containers[0] with { Ports = [new ContainerPort { Port = 80, HostPort = hostPort }] }],
    });
}
