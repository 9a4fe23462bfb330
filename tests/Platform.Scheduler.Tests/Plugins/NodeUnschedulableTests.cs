using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.NodeUnschedulable;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class NodeUnschedulableTests
{
    public static TheoryData<string, bool, Toleration[], string?> Cases => new()
    {
        { "schedulable node", false, [], null },
        { "cordoned node", true, [], "node(s) were unschedulable" },
        { "cordoned node, pod tolerates the unschedulable taint", true, [new() { Key = "node.kubernetes.io/unschedulable", Operator = "Exists", Effect = "NoSchedule" }], null },
        { "cordoned node, toleration for another key", true, [new() { Key = "dedicated", Operator = "Exists" }], "node(s) were unschedulable" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_RejectsCordonedNodes_UnlessTolerated(string name, bool cordoned, Toleration[] tolerations, string? reason)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", unschedulable: cordoned));
        var status = s.Filter(new NodeUnschedulable(), Make.Pod("p").Tolerating(tolerations), "n");
        Assert.True(reason is null ? status.IsSuccess : status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }
}
