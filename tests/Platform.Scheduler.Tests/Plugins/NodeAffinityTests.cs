using Platform.Contracts.Resources;
using NodeAffinityPlugin = Platform.Scheduler.Plugins.NodeAffinity.NodeAffinity;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class NodeAffinityTests
{
    private const string Mismatch = "node(s) didn't match Pod's node affinity/selector";

    public static TheoryData<string, NodeSelectorRequirement, bool> RequirementCases => new()
    {
        { "In matches", Make.Req("zone", "In", "a", "b"), true },
        { "In misses", Make.Req("zone", "In", "b"), false },
        { "NotIn on another value", Make.Req("zone", "NotIn", "b"), true },
        { "NotIn on the value", Make.Req("zone", "NotIn", "a"), false },
        { "NotIn on a missing key", Make.Req("disk", "NotIn", "ssd"), true },
        { "Exists", Make.Req("zone", "Exists"), true },
        { "Exists on a missing key", Make.Req("disk", "Exists"), false },
        { "DoesNotExist", Make.Req("disk", "DoesNotExist"), true },
        { "DoesNotExist on a present key", Make.Req("zone", "DoesNotExist"), false },
        { "Gt larger", Make.Req("cores", "Gt", "8"), true },
        { "Gt equal", Make.Req("cores", "Gt", "16"), false },
        { "Lt smaller", Make.Req("cores", "Lt", "32"), true },
        { "Lt larger", Make.Req("cores", "Lt", "4"), false },
        { "Gt on a non-number", Make.Req("zone", "Gt", "1"), false },
    };

    [Theory]
    [MemberData(nameof(RequirementCases))]
    public void Filter_RequiredAffinity_EvaluatesEachOperator(string name, NodeSelectorRequirement requirement, bool fits)
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", labels: ["zone=a", "cores=16"]));
        var status = s.Filter(new NodeAffinityPlugin(), Make.Pod("p").WithNodeAffinity(requirement), "n");
        Assert.True(fits == status.IsSuccess, $"{name}: {status}");
        if (!fits) Assert.Equal([Mismatch], status.Reasons);
    }

    [Fact]
    public void Filter_NodeSelector_NeedsEveryLabel()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n", labels: ["disk=ssd", "zone=a"]));
        Assert.True(s.Filter(new NodeAffinityPlugin(), Make.Pod("p").With(x => x with { NodeSelector = Make.Labels("disk=ssd") }), "n").IsSuccess);
        var status = s.Filter(new NodeAffinityPlugin(), Make.Pod("p").With(x => x with { NodeSelector = Make.Labels("disk=ssd", "zone=b") }), "n");
        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
        Assert.Equal([Mismatch], status.Reasons);
    }

    [Fact]
    public void Filter_TermsAreOred_AndMatchFieldsSelectsByName()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1", labels: ["zone=a"]));
        var pod = Make.Pod("p").With(x => x with
        {
            Affinity = new Affinity
            {
                NodeAffinity = new NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new NodeSelectorTerm { MatchExpressions = [Make.Req("zone", "In", "b")] },
                            new NodeSelectorTerm { MatchFields = [Make.Req("metadata.name", "In", "n1")] },
                        ],
                    },
                },
            },
        });
        Assert.True(s.Filter(new NodeAffinityPlugin(), pod, "n1").IsSuccess);
    }

    [Fact]
    public void Score_SumsWeightsOfMatchingPreferredTerms_Normalized()
    {
        var s = new TestScheduler().WithNodes(Make.Node("a", labels: ["zone=a", "disk=ssd"]), Make.Node("b", labels: ["zone=b"]), Make.Node("c", labels: ["zone=c"]));
        var scores = s.Scores(new NodeAffinityPlugin(), Make.Pod("p").WithPreferredNodeAffinity((20, Make.Req("zone", "In", "a")), (60, Make.Req("zone", "In", "b")), (20, Make.Req("disk", "Exists"))));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 66, ["b"] = 100, ["c"] = 0 }, scores);
    }
}
