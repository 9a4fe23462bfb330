namespace Platform.NodeAgent.Runtime;

/// <summary>
/// Everything needed to create one container of a pod. CPU as kubelet hands it to the runtime: <see cref="CpuShares"/>
/// from the request (the relative weight under contention), <see cref="CpuQuota"/> per <see cref="ContainerCpu.QuotaPeriod"/>
/// from the limit (the hard cap). <see cref="Security"/> from the pod's and container's securityContext.
/// <see cref="NetworkMode"/>: <c>host</c>, or <c>container:&lt;sandbox id&gt;</c> to join the pod's own network namespace.
/// </summary>
internal sealed record ContainerLaunch(
    string Name,
    string Image,
    IList<string>? Command,
    IList<string>? Args,
    string? WorkingDir,
    IList<string> Env,
    long? MemoryBytes,
    long? CpuShares,
    long? CpuQuota,
    IDictionary<string, string> Labels,
    IList<string> Binds,
    ContainerSecurity Security,
    string NetworkMode = "host");
