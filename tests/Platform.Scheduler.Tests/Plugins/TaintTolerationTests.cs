using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.TaintToleration;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class TaintTolerationTests
{
    private static readonly Taint Gpu = Make.Taint("dedicated", "gpu");

    public static TheoryData<string, Taint[], Toleration[], string?> FilterCases => new()
    {
        { "no taints", [], [], null },
        { "untolerated NoSchedule", [Gpu], [], "node(s) had untolerated taint {dedicated: gpu}" },
        { "untolerated NoExecute", [Make.Taint("maintenance", "true", "NoExecute")], [], "node(s) had untolerated taint {maintenance: true}" },
        { "PreferNoSchedule never filters", [Make.Taint("spot", "true", "PreferNoSchedule")], [], null },
        { "Equal with the same value", [Gpu], [new() { Key = "dedicated", Operator = "Equal", Value = "gpu", Effect = "NoSchedule" }], null },
        { "Equal with another value", [Gpu], [new() { Key = "dedicated", Value = "db", Effect = "NoSchedule" }], "node(s) had untolerated taint {dedicated: gpu}" },
        { "Exists on the key", [Gpu], [new() { Key = "dedicated", Operator = "Exists" }], null },
        { "Exists without key tolerates everything", [Gpu, Make.Taint("x", "y", "NoExecute")], [new() { Operator = "Exists" }], null },
        { "effect must match", [Gpu], [new() { Key = "dedicated", Value = "gpu", Effect = "NoExecute" }], "node(s) had untolerated taint {dedicated: gpu}" },
        { "second taint untolerated", [Gpu, Make.Taint("zone", "edge")], [new() { Key = "dedicated", Operator = "Exists" }], "node(s) had untolerated taint {zone: edge}" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_RejectsUntoleratedNoScheduleAndNoExecute(string name, Taint[] taints, Toleration[] tolerations, string? reason)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", taints: [.. taints]));
        var status = s.Filter(new TaintToleration(), Make.Pod("p").Tolerating(tolerations), "n");
        if (reason is null) Assert.True(status.IsSuccess, $"{name}: {status}");
        else
        {
            Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal([reason], status.Reasons);
        }
    }

    [Fact]
    public void Score_PrefersNodesWithFewerUntoleratedPreferNoScheduleTaints()
    {
        var s = new TestScheduler().WithNodes(
            Make.Node("clean"),
            Make.Node("one", taints: [Make.Taint("spot", "true", "PreferNoSchedule")]),
            Make.Node("two", taints: [Make.Taint("spot", "true", "PreferNoSchedule"), Make.Taint("old", "true", "PreferNoSchedule")]));
        var scores = s.Scores(new TaintToleration(), Make.Pod("p"));
        Assert.Equal(100, scores["clean"]);
        Assert.Equal(50, scores["one"]);
        Assert.Equal(0, scores["two"]);

        var tolerant = s.Scores(new TaintToleration(), Make.Pod("p").Tolerating(new Toleration { Key = "spot", Operator = "Exists" }));
        Assert.Equal(100, tolerant["one"]);
    }
}
