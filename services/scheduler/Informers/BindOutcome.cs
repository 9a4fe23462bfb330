namespace Platform.Scheduler.Informers;

internal enum BindOutcome
{
    Bound,
    /// <summary>409: the pod is already bound (by another scheduler, or an earlier attempt of ours).</summary>
    AlreadyBound,
    /// <summary>404: the pod or the node is gone.</summary>
    NotFound,
}
