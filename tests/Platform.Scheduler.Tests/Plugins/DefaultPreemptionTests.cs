using Platform.Contracts.Resources;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Plugins;

/// <summary>Victim selection and node choice of the DefaultPreemption PostFilter, through the real framework.</summary>
public sealed class DefaultPreemptionTests
{
    private static Pod Pod(string name, string cpu, int priority, string? node = null, string[]? labels = null, string? policy = null)
    {
        var p = Make.Pod(name, cpu: cpu, labels: labels).With(s => s with { Priority = priority, PreemptionPolicy = policy });
        return node is null ? p : p.OnNode(node);
    }

    [Fact]
    public void Preemption_ChoosesTheNodeNeedingFewestVictims_AndReprievesTheRest()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "2"), Make.Node("n2", cpu: "2"))
            .WithPods(Pod("a", "1", 10, "n1"), Pod("b", "1", 10, "n1"),
                      Pod("c", "500m", 10, "n2"), Pod("d", "500m", 10, "n2"), Pod("e", "500m", 10, "n2"), Pod("f", "500m", 10, "n2"));
        var r = s.Try(Pod("vip", "1", 100));
        Assert.False(r.Succeeded);
        Assert.Equal("n1", r.Preemption?.NominatedNode);
        Assert.Single(r.Preemption!.Victims!);
        // The node is left as it was for the next cycle.
        Assert.Equal(2, s.Cache.GetNode("n1")!.PodCount);
        Assert.Equal(2000, s.Cache.GetNode("n1")!.RequestedMilliCpu);
    }

    [Fact]
    public void Preemption_KeepsTheMoreImportantPod_AndNeverEvictsEqualOrHigherPriorities()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "2"), Make.Node("n2", cpu: "1"))
            .WithPods(Pod("low", "1", 10, "n1"), Pod("mid", "1", 20, "n1"), Pod("peer", "1", 100, "n2"));
        var r = s.Try(Pod("vip", "1", 100));
        Assert.Equal("n1", r.Preemption?.NominatedNode);
        Assert.Equal(["default/low"], r.Preemption!.Victims!.Select(v => v.Key));

        // Nothing of lower priority anywhere: no preemption.
        Assert.Null(s.Try(Pod("small", "1", 5)).Preemption);
    }

    [Fact]
    public void Preemption_WithPolicyNever_DoesNotPreempt()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "1")).WithPods(Pod("low", "1", 0, "n1"));
        var r = s.Try(Pod("patient", "1", 100, policy: PriorityClass.PreemptNever));
        Assert.False(r.Succeeded);
        Assert.Null(r.Preemption);
        Assert.NotNull(s.Try(Pod("eager", "1", 100)).Preemption);
    }

    [Fact]
    public void Preemption_PrefersTheNodeWhoseVictimsBreakNoBudget_EvenWithHigherPriorityVictims()
    {
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "1"), Make.Node("n2", cpu: "1"))
            .WithPods(Pod("guarded", "1", 1, "n1", labels: ["app=db"]), Pod("free", "1", 50, "n2", labels: ["app=web"]));
        s.Budgets.Budgets.Add(new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = "db", Namespace = "default" },
            Spec = new PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new LabelSelector { MatchLabels = new() { ["app"] = "db" } } },
            Status = new PodDisruptionBudgetStatus { DisruptionsAllowed = 0, CurrentHealthy = 1, DesiredHealthy = 1, ExpectedPods = 1 },
        });
        var r = s.Try(Pod("vip", "1", 100));
        Assert.Equal("n2", r.Preemption?.NominatedNode);
        Assert.Equal(["default/free"], r.Preemption!.Victims!.Select(v => v.Key));

        // Breaking the budget is allowed when nothing else makes room.
        s.Cache.RemovePod("default/free");
        s.WithPods(Pod("peer", "1", 200, "n2"));
        var forced = s.Try(Pod("vip2", "1", 100));
        Assert.Equal(["default/guarded"], forced.Preemption!.Victims!.Select(v => v.Key));
    }

    [Fact]
    public void NominatedPod_HoldsTheRoomPreemptionFreed_AgainstLowerPriorities_NotAgainstHigherOnes()
    {
        // n1 has 1 CPU free (its victim already gone); vip is nominated there and waits in the queue.
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "2")).WithPods(Pod("stays", "1", 50, "n1"));
        s.Cache.Nominate(new Platform.Scheduler.Framework.PodInfo(Pod("vip", "1", 100)), "n1");

        var low = s.Try(Pod("low", "1", 10, policy: PriorityClass.PreemptNever));
        Assert.Null(low.NodeName);
        Assert.Equal("n1", s.Try(Pod("vip", "1", 100)).NodeName);      // the nominee itself
        Assert.Equal("n1", s.Try(Pod("higher", "1", 200)).NodeName);   // a more important pod may still take it

        s.Cache.Unnominate("default/vip");
        Assert.Equal("n1", s.Try(Pod("low2", "1", 10)).NodeName);
    }

    [Fact]
    public void Preemption_WaitsWhileItsNominatedNodeStillHasTerminatingVictims()
    {
        var terminating = Pod("victim", "1", 10, "n1") with { Metadata = new ObjectMeta { Name = "victim", Namespace = "default", DeletionTimestamp = DateTimeOffset.UtcNow } };
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "1"), Make.Node("n2", cpu: "1"))
            .WithPods(terminating, Pod("other", "1", 10, "n2"));
        var vip = Pod("vip", "1", 100);
        s.Cache.Nominate(new Platform.Scheduler.Framework.PodInfo(vip), "n1");
        var r = s.Try(vip);
        Assert.False(r.Succeeded);
        Assert.Null(r.Preemption);   // no second round of evictions on n2 while n1's victim terminates

        s.Cache.RemovePod("default/victim");
        Assert.Equal("n1", s.Try(vip).NodeName);
    }

    [Fact]
    public void Preemption_EvictsTheLowerPriorityPodItsAntiAffinityForbids_WhenOnlyThatStandsInTheWay()
    {
        // Plenty of CPU on n1, but the vip must not share a host with app=noisy; removing the noisy pod is enough.
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "4"))
            .WithPods(Pod("noisy", "100m", 10, "n1", labels: ["app=noisy"]), Pod("quiet", "100m", 10, "n1", labels: ["app=quiet"]));
        var vip = Pod("vip", "1", 100).WithAntiAffinity(Make.Term("kubernetes.io/hostname", "app=noisy"));
        var r = s.Try(vip);
        Assert.Equal("n1", r.Preemption?.NominatedNode);
        Assert.Equal(["default/noisy"], r.Preemption!.Victims!.Select(v => v.Key));
    }

    [Fact]
    public void Preemption_CountsTheVictimsOutOfTopologySpread()
    {
        // Zone a holds two app=web pods and zone b none; a third web pod with maxSkew 1 fits only in b, which is full
        // of a low-priority pod: evicting it is what makes room, and the counts must see b without it.
        var s = new TestScheduler().WithNodes(Make.Node("a1", cpu: "4", labels: ["zone=a"]), Make.Node("b1", cpu: "1", labels: ["zone=b"]))
            .WithPods(Pod("web-1", "100m", 50, "a1", labels: ["app=web"]), Pod("web-2", "100m", 50, "a1", labels: ["app=web"]),
                      Pod("filler", "1", 10, "b1", labels: ["app=batch"]));
        var web3 = Pod("web-3", "500m", 50, labels: ["app=web"]).WithSpread("zone", 1, hard: true, "app=web");
        var r = s.Try(web3);
        Assert.Equal("b1", r.Preemption?.NominatedNode);
        Assert.Equal(["default/filler"], r.Preemption!.Victims!.Select(v => v.Key));
    }

    [Fact]
    public void NominatedPod_CountsForAntiAffinity_OnItsNode()
    {
        // The nominee is app=db; a pod that must not share a host with app=db keeps off n1 while the nominee waits.
        var s = new TestScheduler().WithNodes(Make.Node("n1", cpu: "4"));
        s.Cache.Nominate(new Platform.Scheduler.Framework.PodInfo(Pod("db", "1", 100, labels: ["app=db"])), "n1");
        var shy = Pod("shy", "100m", 100).WithAntiAffinity(Make.Term("kubernetes.io/hostname", "app=db")).With(sp => sp with { PreemptionPolicy = PriorityClass.PreemptNever });
        Assert.Null(s.Try(shy).NodeName);
    }
}
