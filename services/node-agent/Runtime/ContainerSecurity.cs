namespace Platform.NodeAgent.Runtime;

/// <summary>
/// A container's security settings in Docker's terms (what kubelet hands its runtime from the effective securityContext):
/// <c>User</c> as <c>uid[:gid]</c>, the HostConfig switches, and <c>SecurityOpt</c> entries
/// (<c>no-new-privileges</c>, <c>seccomp=</c>, <c>apparmor=</c>, <c>label=</c>).
/// </summary>
internal sealed record ContainerSecurity(
    string? User,
    bool Privileged,
    IList<string>? CapAdd,
    IList<string>? CapDrop,
    bool ReadonlyRootfs,
    IList<string>? SecurityOpt,
    IList<string>? GroupAdd,
    IDictionary<string, string>? Sysctls,
    bool UnmaskedProc)
{
    public static ContainerSecurity Default { get; } = new(null, false, null, null, false, null, null, null, false);
}
