namespace Platform.Contracts.Resources;

public sealed record DaemonSetStatus
{
    /// <summary>Nodes that should run the pod.</summary>
    public int DesiredNumberScheduled { get; init; }
    /// <summary>Nodes that run at least one pod and should.</summary>
    public int CurrentNumberScheduled { get; init; }
    /// <summary>Nodes that run the pod but should not.</summary>
    public int NumberMisscheduled { get; init; }
    /// <summary>Nodes whose pod is Ready.</summary>
    public int NumberReady { get; init; }
    /// <summary>Nodes whose pod has been Ready for minReadySeconds.</summary>
    public int? NumberAvailable { get; init; }
    /// <summary>Nodes that should run the pod and have none available.</summary>
    public int? NumberUnavailable { get; init; }
    /// <summary>Nodes running a pod of the current template.</summary>
    public int? UpdatedNumberScheduled { get; init; }
    public long? ObservedGeneration { get; init; }
    /// <summary>Bumped when a revision name collides with a revision of another template.</summary>
    public int? CollisionCount { get; init; }
    public List<Condition>? Conditions { get; init; }
}
