namespace Platform.NodeAgent.Pods;

/// <summary>Where a pod stands with its init containers (kubelet's <c>Initialized</c> condition and the Failed phase).</summary>
internal enum InitProgress
{
    /// <summary>Init containers are still running, waiting or restarting: phase Pending, Initialized False.</summary>
    Initializing,
    /// <summary>Every init container completed (or the pod has none): the app containers run.</summary>
    Done,
    /// <summary>An init container failed under restartPolicy Never: the pod is Failed and its app containers never start.</summary>
    Failed,
}
