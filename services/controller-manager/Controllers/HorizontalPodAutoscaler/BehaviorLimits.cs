using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>
/// Kubernetes' normalizeDesiredReplicasWithBehaviors: the recommendation is stabilized (the lowest of the scale-up
/// window, the highest of the scale-down window), then held to the rate the policies allow over their periods and
/// to min/max replicas. Returns the replicas and the ScalingLimited reason and message.
/// </summary>
internal static class BehaviorLimits
{
    public sealed record Outcome(int Replicas, string? StabilizedReason, string LimitReason, string LimitMessage)
    {
        public bool Limited => LimitReason != "DesiredWithinRange";
    }

    public static Outcome Normalize(HorizontalPodAutoscalerBehavior? behavior, ScalingHistory history, int current, int recommended, int min, int max, DateTimeOffset now)
    {
        var up = HorizontalPodAutoscalerDefaults.ScaleUp(behavior?.ScaleUp);
        var down = HorizontalPodAutoscalerDefaults.ScaleDown(behavior?.ScaleDown);
        var stabilized = Stabilize(history, current, recommended, up, down, now);
        string? stabilizedReason = stabilized == recommended ? null : stabilized > recommended ? "ScaleDownStabilized" : "ScaleUpStabilized";
        var (replicas, reason, message) = Limit(history, current, stabilized, min, max, up, down, now);
        return new Outcome(replicas, stabilizedReason, reason, message);
    }

    private static int Stabilize(ScalingHistory history, int current, int recommended, HpaScalingRules up, HpaScalingRules down, DateTimeOffset now)
    {
        var upCutoff = now - TimeSpan.FromSeconds(up.StabilizationWindowSeconds ?? 0);
        var downCutoff = now - TimeSpan.FromSeconds(down.StabilizationWindowSeconds ?? HorizontalPodAutoscalerDefaults.ScaleDownStabilizationSeconds);
        int upRecommendation = recommended, downRecommendation = recommended;
        foreach (var (at, replicas) in history.Recommendations)
        {
            if (at > upCutoff) upRecommendation = Math.Min(upRecommendation, replicas);
            if (at > downCutoff) downRecommendation = Math.Max(downRecommendation, replicas);
        }
        history.Recommendations.Add((now, recommended));
        var result = current;
        if (result < upRecommendation) result = upRecommendation;
        if (result > downRecommendation) result = downRecommendation;
        return result;
    }

    private static (int, string, string) Limit(ScalingHistory history, int current, int desired, int min, int max, HpaScalingRules up, HpaScalingRules down, DateTimeOffset now)
    {
        if (desired > current)
        {
            if (up.SelectPolicy == "Disabled") return (current, "ScalingDisabled", "scaling up is disabled by scale up policy");
            var limit = Math.Max(ScaleUpLimit(history, current, up, now), current);
            var (bound, reason, message) = max > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (desired > bound) return (bound, reason, message);
        }
        else if (desired < current)
        {
            if (down.SelectPolicy == "Disabled") return (current, "ScalingDisabled", "scaling down is disabled by scale down policy");
            var limit = Math.Min(ScaleDownLimit(history, current, down, now), current);
            var (bound, reason, message) = min < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (desired < bound) return (bound, reason, message);
        }
        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    private static int ScaleUpLimit(ScalingHistory history, int current, HpaScalingRules rules, DateTimeOffset now)
    {
        var min = rules.SelectPolicy == "Min";
        var result = min ? int.MaxValue : int.MinValue;
        foreach (var p in rules.Policies ?? [])
        {
            var added = Sum(history.ScaleUps, p.PeriodSeconds, now);
            var deleted = Sum(history.ScaleDowns, p.PeriodSeconds, now);
            var start = current - added + deleted;
            var proposed = p.Type == "Pods" ? start + p.Value : (int)Math.Ceiling(start * (1 + p.Value / 100.0));
            result = min ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }
        return result;
    }

    private static int ScaleDownLimit(ScalingHistory history, int current, HpaScalingRules rules, DateTimeOffset now)
    {
        // For scaling down the smallest change ("Min") is the highest count.
        var min = rules.SelectPolicy == "Min";
        var result = min ? int.MinValue : int.MaxValue;
        foreach (var p in rules.Policies ?? [])
        {
            var added = Sum(history.ScaleUps, p.PeriodSeconds, now);
            var deleted = Sum(history.ScaleDowns, p.PeriodSeconds, now);
            var start = current - added + deleted;
            var proposed = p.Type == "Pods" ? start - p.Value : (int)(start * (1 - p.Value / 100.0));
            result = min ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }
        return result;
    }

    private static int Sum(List<(DateTimeOffset At, int Change)> events, int periodSeconds, DateTimeOffset now) =>
        events.Where(e => e.At > now - TimeSpan.FromSeconds(periodSeconds)).Sum(e => e.Change);
}
