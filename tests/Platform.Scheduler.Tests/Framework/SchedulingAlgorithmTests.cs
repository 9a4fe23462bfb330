using Platform.Contracts.Resources;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Framework;

public sealed class SchedulingAlgorithmTests
{
    private const string Zone = "topology.kubernetes.io/zone";

    [Fact]
    public void Schedule_NoNodeFits_SummarizesReasonsLikeKubeScheduler()
    {
        var gpu = Make.Taint("dedicated", "gpu");
        var s = new TestScheduler().WithNodes(
            Make.Node("small-1", cpu: "2"), Make.Node("small-2", cpu: "2"), Make.Node("small-3", cpu: "2"),
            Make.Node("gpu-1", cpu: "16", taints: [gpu]), Make.Node("gpu-2", cpu: "16", taints: [gpu]));
        var r = s.Try(Make.Pod("p", cpu: "8"));
        Assert.False(r.Succeeded);
        Assert.Equal("0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}", r.Diagnosis!.Message());
    }

    [Fact]
    public void Schedule_NoNodes_SaysSo()
    {
        Assert.Equal("0/0 nodes are available: no nodes available to schedule pods", new TestScheduler().Try(Make.Pod("p")).Diagnosis!.Message());
    }

    [Fact]
    public void Schedule_TenReplicasSpreadMaxSkewOneOverThreeZones_Land433()
    {
        var s = new TestScheduler().WithNodes(
            Make.Node("a1", labels: [$"{Zone}=a"]), Make.Node("a2", labels: [$"{Zone}=a"]),
            Make.Node("b1", labels: [$"{Zone}=b"]), Make.Node("b2", labels: [$"{Zone}=b"]),
            Make.Node("c1", labels: [$"{Zone}=c"]), Make.Node("c2", labels: [$"{Zone}=c"]));
        var zones = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var node = s.Schedule(Make.Pod($"web-{i}", cpu: "100m", labels: ["app=web"]).WithSpread(Zone, 1, hard: true, "app=web"));
            Assert.NotNull(node);
            zones.Add(s.Cache.GetNode(node!)!.Labels[Zone]);
        }
        Assert.Equal([3, 3, 4], zones.GroupBy(z => z).Select(g => g.Count()).Order());
    }

    [Fact]
    public void Schedule_RequiredAntiAffinity_PutsReplicasOnDistinctNodes_ThenExplains()
    {
        var s = new TestScheduler().WithNodes(Enumerable.Range(1, 5).Select(i => Make.Node($"n{i}")).ToArray());
        var pod = (int i) => Make.Pod($"db-{i}", labels: ["app=db"]).WithAntiAffinity(Make.Term("kubernetes.io/hostname", "app=db"));
        var nodes = Enumerable.Range(0, 5).Select(i => s.Schedule(pod(i))).ToList();
        Assert.Equal(5, nodes.Distinct().Count());
        Assert.DoesNotContain(null, nodes);
        var sixth = s.Try(pod(5));
        Assert.Equal("0/5 nodes are available: 5 node(s) didn't match pod anti-affinity rules", sixth.Diagnosis!.Message());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Schedule_PreferredNodeAffinity_HigherWeightWinsTheTie(int seed)
    {
        var s = new TestScheduler(seed: seed).WithNodes(Make.Node("a", labels: [$"{Zone}=a"]), Make.Node("b", labels: [$"{Zone}=b"]), Make.Node("c", labels: [$"{Zone}=c"]));
        var pod = Make.Pod("p", cpu: "1").WithPreferredNodeAffinity((10, Make.Req(Zone, "In", "a")), (90, Make.Req(Zone, "In", "b")));
        Assert.Equal("b", s.Schedule(pod));
    }

    [Fact]
    public void Schedule_PreferredPodAffinity_HigherWeightWins()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1"), Make.Node("n2"), Make.Node("n3"))
            .WithPods(Make.Pod("cache", labels: ["app=cache"]).OnNode("n1"), Make.Pod("log", labels: ["app=log"]).OnNode("n2"));
        var pod = Make.Pod("api").With(x => x with
        {
            Affinity = new Affinity
            {
                PodAffinity = new PodAffinity
                {
                    PreferredDuringSchedulingIgnoredDuringExecution =
                    [
                        new WeightedPodAffinityTerm { Weight = 30, PodAffinityTerm = Make.Term("kubernetes.io/hostname", "app=log") },
                        new WeightedPodAffinityTerm { Weight = 70, PodAffinityTerm = Make.Term("kubernetes.io/hostname", "app=cache") },
                    ],
                },
            },
        });
        Assert.Equal("n1", s.Schedule(pod));
    }

    [Fact]
    public void Schedule_LargeCluster_StopsAfterPercentageOfNodesToScore()
    {
        var nodes = Enumerable.Range(0, 1000).Select(i => Make.Node($"n{i:D4}")).ToArray();
        var adaptive = new TestScheduler().WithNodes(nodes);
        // 1,000 nodes: 50% − 1000/125 = 42% → 420 nodes.
        Assert.Equal(420, adaptive.Try(Make.Pod("p")).EvaluatedNodes);
        var all = new TestScheduler(profile: new ProfileOptions { PercentageOfNodesToScore = 100 }).WithNodes(nodes);
        Assert.Equal(1000, all.Try(Make.Pod("p")).EvaluatedNodes);
        var tenth = new TestScheduler(profile: new ProfileOptions { PercentageOfNodesToScore = 10 }).WithNodes(nodes);
        Assert.Equal(100, tenth.Try(Make.Pod("p")).FeasibleNodes);
    }

    [Fact]
    public void Schedule_ProfileCanDisableAPlugin()
    {
        var tainted = Make.Node("n", taints: [Make.Taint("dedicated", "gpu")]);
        Assert.Null(new TestScheduler().WithNodes(tainted).Schedule(Make.Pod("p")));
        var profile = new ProfileOptions { Plugins = { ["TaintToleration"] = new PluginSettings { Enabled = false } } };
        Assert.Equal("n", new TestScheduler(profile: profile).WithNodes(tainted).Schedule(Make.Pod("p")));
    }

    [Fact]
    public void Schedule_ProfileWeights_DecideBetweenPlugins()
    {
        // "spot" has a PreferNoSchedule taint but matches the preferred node affinity. With the defaults (taint 3, affinity 2)
        // the clean node wins; weighting NodeAffinity 10 flips it.
        var nodes = new[] { Make.Node("clean"), Make.Node("spot", labels: ["disk=ssd"], taints: [Make.Taint("spot", "true", "PreferNoSchedule")]) };
        var pod = Make.Pod("p").WithPreferredNodeAffinity((100, Make.Req("disk", "In", "ssd")));
        Assert.Equal("clean", new TestScheduler(profile: new ProfileOptions { Plugins = { ["NodeAffinity"] = new PluginSettings { Weight = 1 } } }).WithNodes(nodes).Schedule(pod));
        Assert.Equal("spot", new TestScheduler(profile: new ProfileOptions { Plugins = { ["NodeAffinity"] = new PluginSettings { Weight = 10 } } }).WithNodes(nodes).Schedule(pod));
    }

    [Fact]
    public void Schedule_MostAllocated_PacksNodes()
    {
        var s = new TestScheduler(new Platform.Scheduler.Plugins.NodeResourcesFit.NodeResourcesFitArgs { Strategy = Platform.Scheduler.Plugins.NodeResourcesFit.ScoringStrategyType.MostAllocated })
            .WithNodes(Make.Node("n1"), Make.Node("n2"), Make.Node("n3"));
        var first = s.Schedule(Make.Pod("p0", cpu: "1", memory: "1Gi"));
        for (var i = 1; i < 4; i++) Assert.Equal(first, s.Schedule(Make.Pod($"p{i}", cpu: "1", memory: "1Gi")));
    }
}
