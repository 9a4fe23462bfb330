using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: sharing the host's network, PID or IPC namespace is forbidden (<c>spec.hostNetwork</c>, <c>hostPID</c>, <c>hostIPC</c>).</summary>
internal static class HostNamespacesCheck
{
    public static PodCheck Definition { get; } = new("hostNamespaces", Level.Baseline, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var shared = new List<string>();
        if (spec.HostNetwork == true) shared.Add("hostNetwork=true");
        if (spec.HostPid == true) shared.Add("hostPID=true");
        if (spec.HostIpc == true) shared.Add("hostIPC=true");
        return shared.Count == 0 ? null : new CheckResult("host namespaces", string.Join(", ", shared));
    }
}
