namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' autoscaling/v2 defaults (SetDefaults_HorizontalPodAutoscaler): one replica at least, 80% average CPU
/// utilization when no metric is given, and per direction the scaling rules below when a behavior is given (the
/// controller applies the same rules when none is).
/// </summary>
public static class HorizontalPodAutoscalerDefaults
{
    public const int CpuUtilization = 80;
    /// <summary>kube-controller-manager's <c>--horizontal-pod-autoscaler-downscale-stabilization</c>: 5 minutes.</summary>
    public const int ScaleDownStabilizationSeconds = 300;

    public static HorizontalPodAutoscaler Apply(HorizontalPodAutoscaler hpa)
    {
        var spec = hpa.Spec ?? new HorizontalPodAutoscalerSpec();
        return hpa with
        {
            Spec = spec with
            {
                MinReplicas = spec.MinReplicas ?? 1,
                Metrics = spec.Metrics is { Count: > 0 } ? spec.Metrics :
                [
                    new MetricSpec { Type = "Resource", Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = "Utilization", AverageUtilization = CpuUtilization } } },
                ],
                Behavior = spec.Behavior is { } b ? new HorizontalPodAutoscalerBehavior { ScaleUp = ScaleUp(b.ScaleUp), ScaleDown = ScaleDown(b.ScaleDown) } : null,
            },
        };
    }

    /// <summary>Up: no stabilization, the larger of doubling and four more pods every 15 s.</summary>
    public static HpaScalingRules ScaleUp(HpaScalingRules? rules) => new()
    {
        StabilizationWindowSeconds = rules?.StabilizationWindowSeconds ?? 0,
        SelectPolicy = rules?.SelectPolicy ?? "Max",
        Policies = rules?.Policies is { Count: > 0 } p ? p : [new HpaScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }, new HpaScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 }],
    };

    /// <summary>Down: the highest recommendation of the last 5 minutes, then down to it at once (100% per 15 s).</summary>
    public static HpaScalingRules ScaleDown(HpaScalingRules? rules) => new()
    {
        StabilizationWindowSeconds = rules?.StabilizationWindowSeconds ?? ScaleDownStabilizationSeconds,
        SelectPolicy = rules?.SelectPolicy ?? "Max",
        Policies = rules?.Policies is { Count: > 0 } p ? p : [new HpaScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }],
    };
}
