using Platform.Scheduler.Plugins.InterPodAffinity;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

public sealed class InterPodAffinityTests
{
    private const string Host = "kubernetes.io/hostname";
    private const string Zone = "topology.kubernetes.io/zone";

    private static TestScheduler Cluster() => new TestScheduler()
        .WithNodes(Make.Node("n1", labels: [$"{Zone}=a"]), Make.Node("n2", labels: [$"{Zone}=a"]), Make.Node("n3", labels: [$"{Zone}=b"]))
        .WithPods(
            Make.Pod("web-1", labels: ["app=web"]).OnNode("n1"),
            Make.Pod("cache-1", labels: ["app=cache"]).OnNode("n1"),
            Make.Pod("guard", labels: ["app=guard"]).WithAntiAffinity(Make.Term(Host, "app=db")).OnNode("n2"));

    public static TheoryData<string, string, string?> AntiAffinityCases => new()
    {
        { "node with a matching pod", "n1", "node(s) didn't match pod anti-affinity rules" },
        { "node without one", "n3", null },
    };

    [Theory]
    [MemberData(nameof(AntiAffinityCases))]
    public void Filter_RequiredAntiAffinity_KeepsAwayFromMatchingPods(string name, string node, string? reason)
    {
        var status = Cluster().Filter(new InterPodAffinity(), Make.Pod("web-2", labels: ["app=web"]).WithAntiAffinity(Make.Term(Host, "app=web")), node);
        Assert.True(reason is null ? status.IsSuccess : status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }

    [Fact]
    public void Filter_ExistingPodsAntiAffinity_IsSymmetric()
    {
        var s = Cluster();
        Assert.Equal(["node(s) didn't satisfy existing pods anti-affinity rules"], s.Filter(new InterPodAffinity(), Make.Pod("db", labels: ["app=db"]), "n2").Reasons);
        Assert.True(s.Filter(new InterPodAffinity(), Make.Pod("db", labels: ["app=db"]), "n1").IsSuccess);
        Assert.True(s.Filter(new InterPodAffinity(), Make.Pod("db", labels: ["app=db"], ns: "other"), "n2").IsSuccess);
    }

    public static TheoryData<string, string, string?> AffinityCases => new()
    {
        { "same node as the cache", "n1", null },
        { "same zone as the cache", "n2", null },
        { "another zone", "n3", "node(s) didn't match pod affinity rules" },
    };

    [Theory]
    [MemberData(nameof(AffinityCases))]
    public void Filter_RequiredAffinity_FollowsMatchingPodsByTopology(string name, string node, string? reason)
    {
        var status = Cluster().Filter(new InterPodAffinity(), Make.Pod("app", labels: ["app=api"]).WithAffinity(Make.Term(Zone, "app=cache")), node);
        Assert.True(reason is null ? status.IsSuccess : status.Reasons.SequenceEqual([reason]), $"{name}: {status}");
    }

    [Fact]
    public void Filter_RequiredAffinity_FirstPodOfItsGroupMayGoAnywhere()
    {
        var s = Cluster();
        Assert.True(s.Filter(new InterPodAffinity(), Make.Pod("q1", labels: ["app=queue"]).WithAffinity(Make.Term(Zone, "app=queue")), "n3").IsSuccess);
        Assert.Equal(["node(s) didn't match pod affinity rules"],
            s.Filter(new InterPodAffinity(), Make.Pod("x", labels: ["app=x"]).WithAffinity(Make.Term(Zone, "app=queue")), "n3").Reasons);
    }

    [Fact]
    public void Score_PreferredTerms_AddAndSubtractWeightsPerDomain()
    {
        var s = Cluster();
        var near = s.Scores(new InterPodAffinity(), Make.Pod("p").WithPreferredAffinity(50, Make.Term(Zone, "app=cache")));
        Assert.Equal(100, near["n1"]);
        Assert.Equal(100, near["n2"]);
        Assert.Equal(0, near["n3"]);
        var away = s.Scores(new InterPodAffinity(), Make.Pod("p").WithPreferredAffinity(50, Make.Term(Host, "app=web"), anti: true));
        Assert.Equal(0, away["n1"]);
        Assert.Equal(100, away["n3"]);
    }

    [Fact]
    public void MalformedSelector_SelectsNothing_InsteadOfFailing()
    {
        var term = new Platform.Contracts.Resources.PodAffinityTerm
        {
            TopologyKey = Host,
            LabelSelector = new Platform.Contracts.Resources.LabelSelector { MatchExpressions = [new() { Key = "app", Operator = "Near", Values = ["web"] }] },
        };
        var s = Cluster().WithPods(Make.Pod("odd", labels: ["app=odd"]).WithAntiAffinity(term).OnNode("n3"));
        Assert.True(s.Filter(new InterPodAffinity(), Make.Pod("web-2", labels: ["app=web"]).WithAntiAffinity(term), "n1").IsSuccess);
        Assert.True(s.Filter(new InterPodAffinity(), Make.Pod("web-3", labels: ["app=web"]), "n3").IsSuccess);
    }
}
