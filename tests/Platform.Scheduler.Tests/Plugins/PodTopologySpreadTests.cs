using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.PodTopologySpread;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class PodTopologySpreadTests
{
    private const string Zone = "topology.kubernetes.io/zone";
    private const string Skew = "node(s) didn't match pod topology spread constraints";

    private static TestScheduler ThreeZones() => new TestScheduler()
        .WithNodes(Make.Node("na", labels: [$"{Zone}=a"]), Make.Node("nb", labels: [$"{Zone}=b"]), Make.Node("nc", labels: [$"{Zone}=c"]), Make.Node("nolabel"))
        .WithPods(
            Make.Pod("w1", labels: ["app=web"]).OnNode("na"), Make.Pod("w2", labels: ["app=web"]).OnNode("na"),
            Make.Pod("w3", labels: ["app=web"]).OnNode("nb"), Make.Pod("w4", labels: ["app=web"]).OnNode("nc"),
            Make.Pod("other-ns", labels: ["app=web"], ns: "other").OnNode("nb"),
            Make.Pod("db", labels: ["app=db"]).OnNode("nc"));

    public static TheoryData<string, string, int, string?> FilterCases => new()
    {
        { "zone with the most pods would exceed maxSkew 1", "na", 1, Skew },
        { "zone at the minimum", "nb", 1, null },
        { "other namespaces and other labels are not counted", "nc", 1, null },
        { "maxSkew 2 allows the fuller zone", "na", 2, null },
        { "node without the topology key", "nolabel", 1, "node(s) didn't match pod topology spread constraints (missing required label)" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_DoNotSchedule_KeepsSkewWithinMaxSkew(string name, string node, int maxSkew, string? reason)
    {
        var status = ThreeZones().Filter(new PodTopologySpread(), Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, maxSkew, hard: true, "app=web"), node);
        Assert.True(reason is null ? status.IsSuccess : status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }

    [Fact]
    public void Filter_EmptyZoneHoldsTheMinimumAtZero()
    {
        var s = new TestScheduler()
            .WithNodes(Make.Node("na", labels: [$"{Zone}=a"]), Make.Node("nb", labels: [$"{Zone}=b"]))
            .WithPods(Make.Pod("w1", labels: ["app=web"]).OnNode("na"));
        var pod = Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web");
        Assert.Equal([Skew], s.Filter(new PodTopologySpread(), pod, "na").Reasons);
        Assert.True(s.Filter(new PodTopologySpread(), pod, "nb").IsSuccess);
    }

    [Fact]
    public void Filter_NodesOutsideTheNodeAffinity_DoNotCountAsDomains()
    {
        // Zone c is excluded by the pod's node affinity, so its zero does not pull the minimum down.
        var s = new TestScheduler()
            .WithNodes(Make.Node("na", labels: [$"{Zone}=a"]), Make.Node("nb", labels: [$"{Zone}=b"]), Make.Node("nc", labels: [$"{Zone}=c"]))
            .WithPods(Make.Pod("w1", labels: ["app=web"]).OnNode("na"), Make.Pod("w2", labels: ["app=web"]).OnNode("nb"));
        var pod = Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web").WithNodeAffinity(Make.Req(Zone, "In", "a", "b"));
        Assert.True(s.Filter(new PodTopologySpread(), pod, "na").IsSuccess);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Ignore", false)]
    [InlineData("Honor", true)]
    public void Filter_ATaintedNodeIsADomainUnlessNodeTaintsPolicyIsHonor(string? policy, bool fits)
    {
        // Node c is unreachable (its pods evicted): with taints ignored, its empty domain holds the minimum at 0.
        var s = new TestScheduler()
            .WithNodes(Make.Node("na", labels: [$"{Zone}=a"]), Make.Node("nb", labels: [$"{Zone}=b"]),
                Make.Node("nc", labels: [$"{Zone}=c"], taints: [Make.Taint("node.kubernetes.io/unreachable", "", "NoSchedule")]))
            .WithPods(Make.Pod("w1", labels: ["app=web"]).OnNode("na"), Make.Pod("w2", labels: ["app=web"]).OnNode("nb"));
        var pod = Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web");
        pod = pod with { Spec = pod.Spec with { TopologySpreadConstraints = [pod.Spec.TopologySpreadConstraints![0] with { NodeTaintsPolicy = policy }] } };
        Assert.Equal(fits, s.Filter(new PodTopologySpread(), pod, "na").IsSuccess);
        // A pod that tolerates the taint counts the node with either policy.
        var tolerant = pod.Tolerating(new Toleration { Key = "node.kubernetes.io/unreachable", Operator = "Exists" });
        Assert.False(s.Filter(new PodTopologySpread(), tolerant, "na").IsSuccess);
    }

    [Fact]
    public void Filter_NodeAffinityPolicyIgnore_CountsNodesOutsideTheAffinity()
    {
        var s = new TestScheduler()
            .WithNodes(Make.Node("na", labels: [$"{Zone}=a"]), Make.Node("nb", labels: [$"{Zone}=b"]), Make.Node("nc", labels: [$"{Zone}=c"]))
            .WithPods(Make.Pod("w1", labels: ["app=web"]).OnNode("na"), Make.Pod("w2", labels: ["app=web"]).OnNode("nb"));
        var pod = Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web").WithNodeAffinity(Make.Req(Zone, "In", "a", "b"));
        pod = pod with { Spec = pod.Spec with { TopologySpreadConstraints = [pod.Spec.TopologySpreadConstraints![0] with { NodeAffinityPolicy = "Ignore" }] } };
        Assert.False(s.Filter(new PodTopologySpread(), pod, "na").IsSuccess);
    }

    [Fact]
    public void Score_ScheduleAnyway_PrefersDomainsWithFewerMatchingPods()
    {
        var scores = ThreeZones().Scores(new PodTopologySpread(), Make.Pod("p", labels: ["app=web"]).WithSpread(Zone, 1, hard: false, "app=web"));
        Assert.Equal(0, scores["na"]);
        Assert.Equal(100, scores["nb"]);
        Assert.Equal(100, scores["nc"]);
        Assert.Equal(0, scores["nolabel"]);
    }
}
