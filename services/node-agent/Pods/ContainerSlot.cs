using Platform.Contracts.Resources;
using Platform.NodeAgent.Probes;

namespace Platform.NodeAgent.Pods;

/// <summary>What a pod worker tracks for one container of its pod across restarts.</summary>
internal sealed class ContainerSlot(string name, CrashLoopBackOff backOff)
{
    public string Name { get; } = name;
    public CrashLoopBackOff BackOff { get; } = backOff;
    public string? ContainerId { get; set; }
    public int RestartCount { get; set; }
    public bool EverCreated { get; set; }
    public bool Running { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>The terminated state of the current container (when it exited) and of the previous one.</summary>
    public ContainerStateTerminated? Terminated { get; set; }
    public ContainerStateTerminated? LastTerminated { get; set; }
    /// <summary>The container id whose exit has been accounted for (back-off computed, events sent).</summary>
    public string? HandledExitOf { get; set; }
    public DateTimeOffset RestartNotBefore { get; set; }
    public ContainerStateWaiting? Waiting { get; set; }
    public List<ProbeWorker> Probes { get; } = [];
    public string? ProbesFor { get; set; }

    public bool? ProbeResult(ProbeKind kind) => Probes.FirstOrDefault(p => p.Kind == kind)?.Result;
    public bool HasProbe(ProbeKind kind) => Probes.Any(p => p.Kind == kind);

    /// <summary>
    /// Stops the container's probes. They are forgotten before they are awaited: a probe loop that failed throws here
    /// once, and must not make every later sync of the pod fail on it (the container would never be restarted).
    /// </summary>
    public async Task StopProbesAsync()
    {
        var probes = Probes.ToList();
        Probes.Clear();
        ProbesFor = null;
        foreach (var p in probes) await p.DisposeAsync();
    }
}
