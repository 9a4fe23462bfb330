namespace Platform.Scheduler.Framework;

/// <summary>What a plugin decided. Unschedulable codes are the pod's problem (retried on cluster events); Error is ours (retried with back-off).</summary>
internal enum StatusCode
{
    Success,
    /// <summary>Does not fit now; another event (a pod leaving, a node changing) could make it fit.</summary>
    Unschedulable,
    /// <summary>Does not fit and no change on this node would help (wrong labels, missing topology key).</summary>
    UnschedulableAndUnresolvable,
    /// <summary>The plugin failed: a bug or a missing input, not a property of the pod.</summary>
    Error,
    /// <summary>From PreFilter/PreScore: nothing for this plugin to do for this pod; its Filter/Score is skipped.</summary>
    Skip,
}
