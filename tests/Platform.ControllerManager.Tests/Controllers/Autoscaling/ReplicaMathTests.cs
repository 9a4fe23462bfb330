using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

namespace Platform.ControllerManager.Tests.Controllers.Autoscaling;

/// <summary>The autoscaler's arithmetic on Kubernetes' cases: the replica calculator and the behavior's windows and rate policies.</summary>
public sealed class ReplicaMathTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Pod RunningPod(string name, string? cpuRequest = "100m") => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            Containers = [new Container { Name = "c", Resources = cpuRequest is null ? null : new ResourceRequirements { Requests = new ResourceList { ["cpu"] = cpuRequest } } }],
        },
        Status = new PodStatus
        {
            Phase = "Running",
            StartTime = Now.AddMinutes(-10),
            Conditions = [new Condition { Type = "Ready", Status = "True", LastTransitionTime = Now.AddMinutes(-10) }],
        },
    };

    private static PodMetric Usage(long millicores) => new(millicores, Now, TimeSpan.FromSeconds(15));

    [Fact]
    public void Calculate_WithinTolerance_KeepsReplicas_AboveIt_ScalesByTheRatio()
    {
        var pods = new[] { RunningPod("a"), RunningPod("b") };
        var near = ReplicaCalculator.Calculate(2, "cpu", 50, null, pods, new Dictionary<string, PodMetric> { ["a"] = Usage(52), ["b"] = Usage(52) }, Now);
        Assert.Equal((2, 52), (near.Replicas, near.Utilization!.Value));
        var hot = ReplicaCalculator.Calculate(2, "cpu", 50, null, pods, new Dictionary<string, PodMetric> { ["a"] = Usage(200), ["b"] = Usage(200) }, Now);
        Assert.Equal((8, 200), (hot.Replicas, hot.Utilization!.Value));
        var average = ReplicaCalculator.Calculate(2, "cpu", null, 100, pods, new Dictionary<string, PodMetric> { ["a"] = Usage(300), ["b"] = Usage(300) }, Now);
        Assert.Equal((6, 300L), (average.Replicas, average.AverageValue));
    }

    [Fact]
    public void Calculate_MissingMetricsAssumedAtTheirRequestWhenScalingDown_SoNoScaleDownThatWouldReverse()
    {
        var pods = new[] { RunningPod("a"), RunningPod("b") };
        var result = ReplicaCalculator.Calculate(2, "cpu", 50, null, pods, new Dictionary<string, PodMetric> { ["a"] = Usage(10) }, Now);
        Assert.Equal(2, result.Replicas); // (10 + 100) / 200 = 55%: within 10% of the target once b counts at its request
    }

    [Fact]
    public void Calculate_UnreadyPodsCountAsZeroWhenScalingUp()
    {
        var pending = RunningPod("p") with { Status = new PodStatus { Phase = "Pending" } };
        var pods = new[] { RunningPod("a"), pending };
        var result = ReplicaCalculator.Calculate(2, "cpu", 50, null, pods, new Dictionary<string, PodMetric> { ["a"] = Usage(200) }, Now);
        Assert.Equal(4, result.Replicas); // 200 + 0 over two pods' 200m of requests: 100% of a 50% target
    }

    [Fact]
    public void Calculate_RefusesPodsWithoutARequestOrWithoutMetrics_InKubernetesWords()
    {
        var missing = Assert.Throws<InvalidOperationException>(() =>
            ReplicaCalculator.Calculate(1, "cpu", 50, null, [RunningPod("a", null)], new Dictionary<string, PodMetric> { ["a"] = Usage(10) }, Now));
        Assert.Equal("missing request for cpu in container c of Pod a", missing.Message);
        var none = Assert.Throws<InvalidOperationException>(() => ReplicaCalculator.Calculate(1, "cpu", 50, null, [RunningPod("a")], new Dictionary<string, PodMetric>(), Now));
        Assert.Equal("did not receive metrics for targeted pods (pods might be unready)", none.Message);
    }

    [Fact]
    public void Normalize_DefaultScaleUpIsTheLargerOfDoublingAndFourPods_UpToMax()
    {
        var outcome = BehaviorLimits.Normalize(null, new ScalingHistory(), 1, 10, 1, 20, Now);
        Assert.Equal((5, "ScaleUpLimit"), (outcome.Replicas, outcome.LimitReason));
        var capped = BehaviorLimits.Normalize(null, new ScalingHistory(), 1, 10, 1, 3, Now);
        Assert.Equal((3, "TooManyReplicas"), (capped.Replicas, capped.LimitReason));
    }

    [Fact]
    public void Normalize_ScaleDownWaitsForTheWindow_ThenPoliciesLimitTheStep()
    {
        var behavior = new HorizontalPodAutoscalerBehavior
        {
            ScaleDown = new HpaScalingRules { StabilizationWindowSeconds = 10, Policies = [new HpaScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 60 }] },
        };
        var history = new ScalingHistory();
        Assert.Equal(5, BehaviorLimits.Normalize(behavior, history, 5, 5, 1, 10, Now).Replicas);
        var early = BehaviorLimits.Normalize(behavior, history, 5, 2, 1, 10, Now.AddSeconds(5));
        Assert.Equal((5, "ScaleDownStabilized"), (early.Replicas, early.StabilizedReason));
        var later = BehaviorLimits.Normalize(behavior, history, 5, 2, 1, 10, Now.AddSeconds(20));
        Assert.Equal((4, "ScaleDownLimit"), (later.Replicas, later.LimitReason));
        history.ScaleDowns.Add((Now.AddSeconds(20), 1));
        Assert.Equal(4, BehaviorLimits.Normalize(behavior, history, 4, 2, 1, 10, Now.AddSeconds(30)).Replicas);
    }

    [Fact]
    public void Normalize_DisabledDirectionKeepsTheCurrentCount()
    {
        var behavior = new HorizontalPodAutoscalerBehavior { ScaleDown = new HpaScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = "Disabled" } };
        var outcome = BehaviorLimits.Normalize(behavior, new ScalingHistory(), 4, 1, 1, 10, Now);
        Assert.Equal((4, "ScalingDisabled"), (outcome.Replicas, outcome.LimitReason));
    }
}
