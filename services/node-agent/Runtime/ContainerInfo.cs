namespace Platform.NodeAgent.Runtime;

/// <summary>What the runtime knows of one container of a pod (Docker's view, decoded from its labels and state).</summary>
internal sealed record ContainerInfo(
    string Id,
    string PodUid,
    string PodNamespace,
    string PodName,
    string Name,
    int RestartCount,
    bool Running,
    int ExitCode,
    string? Reason,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, string> Labels);
