namespace Platform.NodeAgent.Probes;

/// <summary>Where a probe runs: the container (for exec), the pod's address and its allocated ports (for httpGet and tcpSocket).</summary>
internal sealed record ProbeTarget(string ContainerId, string Address, Func<Platform.Contracts.Resources.IntOrString?, int?> ResolvePort);
