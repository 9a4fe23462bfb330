namespace Platform.Scheduler.Framework;

/// <summary>A PostFilter's answer: the node the pod is nominated for and the pods that must go to make room there.</summary>
internal sealed record PostFilterResult(Status Status, string? NominatedNode = null, IReadOnlyList<PodInfo>? Victims = null)
{
    public static PostFilterResult Unschedulable(string reason) => new(Status.Unschedulable(reason));
}
