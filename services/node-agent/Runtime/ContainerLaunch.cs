namespace Platform.NodeAgent.Runtime;

/// <summary>Everything needed to create one container of a pod.</summary>
internal sealed record ContainerLaunch(
    string Name,
    string Image,
    IList<string>? Command,
    IList<string>? Args,
    string? WorkingDir,
    IList<string> Env,
    long? MemoryBytes,
    long? NanoCpus,
    IDictionary<string, string> Labels,
    IList<string> Binds);
