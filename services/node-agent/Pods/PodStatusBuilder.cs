using Platform.Contracts.Resources;
using Platform.NodeAgent.Probes;

namespace Platform.NodeAgent.Pods;

/// <summary>Pod status from the pod worker's view of its containers: phase, conditions, container statuses, ports.</summary>
internal static class PodStatusBuilder
{
    /// <summary><paramref name="podIp"/>: the sandbox's address on the pod network, null for a pod on the host network (the node's address, allocated host ports).</summary>
    public static PodStatus Build(Pod pod, IReadOnlyDictionary<string, ContainerSlot> slots, IReadOnlyDictionary<string, int> ports, string address, string? podIp,
        DateTimeOffset? startTime, DateTimeOffset now, PodStatus? previous, InitProgress init = InitProgress.Done)
    {
        // kubelet's default for a container Docker has not seen yet: PodInitializing in a pod with init containers.
        var inits = pod.Spec.InitContainers ?? [];
        var notCreated = inits.Count > 0 ? "PodInitializing" : "ContainerCreating";
        var statuses = pod.Spec.Containers.Select(spec => ContainerStatusOf(spec, slots.GetValueOrDefault(spec.Name!), notCreated, init: false)).ToList();
        var initStatuses = inits.Count == 0 ? null : inits.Select(spec => ContainerStatusOf(spec, slots.GetValueOrDefault(spec.Name!), notCreated, init: true)).ToList();
        var unready = statuses.Where(s => !s.Ready).Select(s => s.Name).ToList();
        var allReady = statuses.Count > 0 && unready.Count == 0;
        var incomplete = (initStatuses ?? []).Where(s => s.State?.Terminated is not { ExitCode: 0 }).Select(s => s.Name).ToList();
        var initialized = init == InitProgress.Done;
        var conditions = new List<Condition>
        {
            Condition(previous, "PodScheduled", true, now),
            Condition(previous, "Initialized", initialized, now, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]"),
            Condition(previous, "ContainersReady", allReady, now, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]"),
            Condition(previous, "Ready", allReady, now, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]"),
        };
        return new PodStatus
        {
            // A terminal phase is final, as kubelet's status manager holds it ("attempted illegal transition"): the
            // Job controller has counted the pod and may have replaced it already.
            Phase = TerminalPhase(previous?.Phase) ?? TerminalPhase(pod.Status?.Phase)
                ?? init switch { InitProgress.Failed => "Failed", InitProgress.Initializing => "Pending", _ => Phase(pod, statuses) },
            Conditions = conditions,
            HostIP = address,
            PodIP = podIp ?? address,
            PodIPs = [new PodIP { Ip = podIp ?? address }],
            StartTime = startTime,
            // A pod on the pod network listens on its own IP: it holds no host ports.
            AllocatedPorts = podIp is null ? new Dictionary<string, int>(ports) : null,
            InitContainerStatuses = initStatuses,
            ContainerStatuses = statuses,
        };
    }

    private static ContainerStatus ContainerStatusOf(Container spec, ContainerSlot? slot, string notCreated, bool init)
    {
        var waiting = new ContainerState { Waiting = new ContainerStateWaiting { Reason = notCreated } };
        if (slot is null) return new ContainerStatus { Name = spec.Name, Image = spec.Image, State = waiting, Started = false };
        var started = slot.Running && (!slot.HasProbe(ProbeKind.Startup) || slot.ProbeResult(ProbeKind.Startup) == true);
        var ready = started && (!slot.HasProbe(ProbeKind.Readiness) || slot.ProbeResult(ProbeKind.Readiness) == true);
        ContainerState state = slot switch
        {
            { Running: true } => new ContainerState { Running = new ContainerStateRunning { StartedAt = slot.StartedAt } },
            { Waiting: { } w } => new ContainerState { Waiting = w },
            { Terminated: { } t } => new ContainerState { Terminated = t },
            _ => waiting,
        };
        return new ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image,
            ContainerID = slot.ContainerId is null ? null : "docker://" + slot.ContainerId,
            // An init container is ready once it completed, as kubelet reports it.
            Ready = init ? state.Terminated is { ExitCode: 0 } : ready,
            Started = started,
            RestartCount = slot.RestartCount,
            State = state,
            LastState = slot.LastTerminated is { } last ? new ContainerState { Terminated = last } : null,
        };
    }

    private static string? TerminalPhase(string? phase) => phase is "Succeeded" or "Failed" ? phase : null;

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

    private static Condition Condition(PodStatus? previous, string type, bool value, DateTimeOffset now, string? falseReason = null, string? falseMessage = null)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = status,
            Reason = value ? null : falseReason,
            Message = value ? null : falseMessage,
            LastTransitionTime = before?.Status == status ? before.LastTransitionTime : now,
        };
    }
}
