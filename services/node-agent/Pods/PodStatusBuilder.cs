using Platform.Contracts.Resources;
using Platform.NodeAgent.Probes;

namespace Platform.NodeAgent.Pods;

/// <summary>Pod status from the pod worker's view of its containers: phase, conditions, containerStatuses, ports.</summary>
internal static class PodStatusBuilder
{
    public static PodStatus Build(Pod pod, IReadOnlyDictionary<string, ContainerSlot> slots, IReadOnlyDictionary<string, int> ports, string address,
        DateTimeOffset? startTime, DateTimeOffset now, PodStatus? previous)
    {
        var statuses = new List<ContainerStatus>();
        foreach (var spec in pod.Spec.Containers)
        {
            slots.TryGetValue(spec.Name!, out var slot);
            statuses.Add(ContainerStatusOf(spec, slot));
        }
        var allReady = statuses.Count > 0 && statuses.All(s => s.Ready);
        var phase = Phase(pod, statuses);
        var conditions = new List<Condition>
        {
            Condition(previous, "PodScheduled", true, now),
            Condition(previous, "Initialized", true, now),
            Condition(previous, "ContainersReady", allReady, now),
            Condition(previous, "Ready", allReady, now),
        };
        return new PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = address,
            PodIP = address,
            StartTime = startTime,
            AllocatedPorts = new Dictionary<string, int>(ports),
            ContainerStatuses = statuses,
        };
    }

    private static ContainerStatus ContainerStatusOf(Container spec, ContainerSlot? slot)
    {
        if (slot is null)
            return new ContainerStatus { Name = spec.Name, Image = spec.Image, State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } } };
        var started = slot.Running && (!slot.HasProbe(ProbeKind.Startup) || slot.ProbeResult(ProbeKind.Startup) == true);
        var ready = started && (!slot.HasProbe(ProbeKind.Readiness) || slot.ProbeResult(ProbeKind.Readiness) == true);
        ContainerState state = slot switch
        {
            { Running: true } => new ContainerState { Running = new ContainerStateRunning { StartedAt = slot.StartedAt } },
            { Waiting: { } w } => new ContainerState { Waiting = w },
            { Terminated: { } t } => new ContainerState { Terminated = t },
            _ => new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } },
        };
        return new ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image,
            ContainerID = slot.ContainerId is null ? null : "docker://" + slot.ContainerId,
            Ready = ready,
            Started = started,
            RestartCount = slot.RestartCount,
            State = state,
            LastState = slot.LastTerminated is { } last ? new ContainerState { Terminated = last } : null,
        };
    }

    private static string Phase(Pod pod, List<ContainerStatus> statuses)
    {
        if (statuses.Any(s => s.State?.Running is not null)) return "Running";
        var terminated = statuses.Where(s => s.State?.Terminated is not null).ToList();
        if (terminated.Count == statuses.Count && statuses.Count > 0)
        {
            // Terminated for good only when restartPolicy says no restart comes.
            var failed = terminated.Any(s => s.State!.Terminated!.ExitCode != 0);
            return pod.Spec.RestartPolicy switch
            {
                "Never" => failed ? "Failed" : "Succeeded",
                "OnFailure" when !failed => "Succeeded",
                _ => "Running",
            };
        }
        // Waiting: before the first start Pending; in crash loop back-off the pod has run, so Running as in Kubernetes.
        return statuses.Any(s => s.RestartCount > 0 || s.LastState is not null) ? "Running" : "Pending";
    }

    private static Condition Condition(PodStatus? previous, string type, bool value, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new Condition { Type = type, Status = status, LastTransitionTime = before?.Status == status ? before.LastTransitionTime : now };
    }
}
