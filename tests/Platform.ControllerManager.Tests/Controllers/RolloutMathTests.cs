using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers;
using Platform.ControllerManager.Controllers.Deployment;

namespace Platform.ControllerManager.Tests.Controllers;

public sealed class RolloutMathTests
{
    private static DeploymentSpec Spec(int replicas, IntOrString? surge = null, IntOrString? unavailable = null) => new()
    {
        Replicas = replicas,
        Strategy = new DeploymentStrategy { RollingUpdate = new RollingUpdateDeployment { MaxSurge = surge, MaxUnavailable = unavailable } },
    };

    private static ReplicaSet Rs(string uid, int replicas, int minutesOld) => new()
    {
        Metadata = new ObjectMeta { Uid = uid, Name = uid, CreationTimestamp = DateTimeOffset.UnixEpoch.AddMinutes(-minutesOld) },
        Spec = new ReplicaSetSpec { Replicas = replicas },
    };

    [Theory]
    [InlineData(4, null, null, 1, 1)]      // 25% of 4: surge rounds up, unavailable down
    [InlineData(3, null, null, 1, 0)]
    [InlineData(10, "30%", "30%", 3, 3)]
    [InlineData(5, 0, 0, 0, 1)]            // both 0 would never progress: maxUnavailable becomes 1
    public void Limits_ResolvePercentagesLikeKubernetes(int replicas, object? surge, object? unavailable, int expectedSurge, int expectedUnavailable)
    {
        static IntOrString? Value(object? o) => o switch { int i => i, string s => s, _ => null };
        Assert.Equal((expectedSurge, expectedUnavailable), RolloutMath.Limits(Spec(replicas, Value(surge), Value(unavailable))));
    }

    [Fact]
    public void NewReplicaSet_GrowsOnlyUpToReplicasPlusSurge()
    {
        var spec = Spec(3, 1, 1);
        var old = Rs("old", 3, 10);
        Assert.Equal(1, RolloutMath.NewReplicaSetReplicas(spec, [old], null));
        var fresh = Rs("new", 1, 0);
        Assert.Equal(1, RolloutMath.NewReplicaSetReplicas(spec, [old, fresh], fresh)); // 4 pods already
        Assert.Equal(2, RolloutMath.NewReplicaSetReplicas(spec, [Rs("old", 2, 10), fresh], fresh));
    }

    [Fact]
    public void OldReplicaSets_ShrinkOnlyWhileMinimumAvailabilityHolds()
    {
        var spec = Spec(3, 1, 0); // minAvailable 3
        var old = Rs("old", 3, 10);
        var fresh = Rs("new", 1, 0);
        // The new pod is not available yet: nothing may go.
        Assert.Empty(RolloutMath.ScaleDownOld(spec, [old], fresh, rs => rs == old ? 3 : 0));
        // The new pod is available: one old pod may go.
        var step = Assert.Single(RolloutMath.ScaleDownOld(spec, [old], fresh, rs => rs == old ? 3 : 1));
        Assert.Equal(2, step.To);
        // Unhealthy old pods go first and cost no availability, but no more than 4 pods - minAvailable 2 - 1 unavailable new pod.
        var cleanup = Assert.Single(RolloutMath.ScaleDownOld(Spec(3, 1, 1), [old], fresh, rs => rs == old ? 1 : 0));
        Assert.Equal(2, cleanup.To);
        // With the new pod available too, both unhealthy old pods go, the healthy one stays (available 1 + 1 = minAvailable 2).
        var both = Assert.Single(RolloutMath.ScaleDownOld(Spec(3, 1, 1), [old], fresh, rs => 1));
        Assert.Equal(1, both.To);
    }

    [Fact]
    public void ScaleDown_DeletesUnscheduledThenPendingThenNotReadyThenNewestReady()
    {
        static Pod P(string name, string? node, string? phase, bool ready, int age) => new()
        {
            Metadata = new ObjectMeta { Name = name, CreationTimestamp = DateTimeOffset.UnixEpoch.AddMinutes(-age) },
            Spec = new PodSpec { NodeName = node },
            Status = new PodStatus { Phase = phase, Conditions = [new Condition { Type = "Ready", Status = ready ? "True" : "False" }] },
        };
        var pods = new[]
        {
            P("ready-old", "n", "Running", true, 10), P("ready-new", "n", "Running", true, 1), P("unready", "n", "Running", false, 5),
            P("pending", "n", "Pending", false, 5), P("unscheduled", null, "Pending", false, 20),
        };
        Assert.Equal(["unscheduled", "pending", "unready", "ready-new", "ready-old"], PodFacts.InDeletionOrder(pods).Select(p => p.Metadata.Name!));
    }
}
