using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// Init containers (kubelet's <c>computeInitContainerActions</c>): one at a time, in order, each to exit code 0 before
/// the next starts and before any app container; a failed one is restarted with the crash back-off unless
/// restartPolicy is Never, which fails the pod.
/// </summary>
internal sealed partial class PodWorker
{
    private InitProgress _init = InitProgress.Initializing;

    private ContainerSlot Slot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot)) _slots[name] = slot = NewSlot(name);
        return slot;
    }

    /// <summary>Advances the init containers; true once they all completed, so the app containers may run.</summary>
    private async Task<bool> InitializeAsync(Pod pod, CancellationToken ct)
    {
        if (_init == InitProgress.Done) return true;
        if (_init == InitProgress.Failed) return false;
        var inits = pod.Spec.InitContainers ?? [];
        // An app container adopted from Docker means initialization finished before the agent restarted, even if
        // the exited init containers were removed since; kubelet does not run them again either.
        if (inits.Count == 0 || pod.Spec.Containers.Any(c => _slots.TryGetValue(c.Name!, out var s) && s.EverCreated))
        {
            _init = InitProgress.Done;
            return true;
        }
        foreach (var spec in inits)
        {
            var slot = Slot(spec.Name!);
            // A completed init container stays completed: its exited container is kept and not inspected again.
            if (slot.ContainerId is null || !Completed(slot)) await SyncContainerAsync(pod, spec, slot, ct);
            if (Completed(slot)) continue;
            if (slot is { Running: false, Terminated: not null } && pod.Spec.RestartPolicy == "Never")
            {
                _init = InitProgress.Failed;
                InitFailed(pod.Metadata.Namespace, pod.Metadata.Name, spec.Name, slot.Terminated.ExitCode);
            }
            return false;
        }
        _init = InitProgress.Done;
        return true;
    }

    private static bool Completed(ContainerSlot slot) => slot is { Running: false, Waiting: null, Terminated.ExitCode: 0 };

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "pod {Namespace}/{Pod}: init container {Container} exited with {ExitCode} under restartPolicy Never; the pod failed")]
    private partial void InitFailed(string? @namespace, string? pod, string? container, int exitCode);
}
