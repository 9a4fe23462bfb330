using Platform.Scheduler.Plugins.NodeName;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class NodeNameTests
{
    [Theory]
    [InlineData(null, "n1", null)]
    [InlineData("n1", "n1", null)]
    [InlineData("n2", "n1", "node(s) didn't match the requested node name")]
    public void Filter_AcceptsOnlyTheNamedNode(string? requested, string node, string? reason)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1"), Make.Node("n2"));
        var status = s.Filter(new NodeName(), Make.Pod("p").With(x => x with { NodeName = requested }), node);
        if (reason is null) Assert.True(status.IsSuccess);
        else Assert.Equal([reason], status.Reasons);
    }
}
