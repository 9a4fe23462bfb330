namespace Platform.Contracts.Resources;

/// <summary>A container's security settings (<c>securityContext</c>); where a field is also in the pod's, this one wins.</summary>
public sealed record SecurityContext
{
    /// <summary>Run the container privileged: every capability and the host's devices. Pod Security baseline forbids it.</summary>
    public bool? Privileged { get; init; }
    /// <summary>Whether a process may gain more privileges than its parent (setuid binaries); false sets <c>no_new_privs</c>.</summary>
    public bool? AllowPrivilegeEscalation { get; init; }
    /// <summary>Linux capabilities to add to and drop from the runtime's default set.</summary>
    public Capabilities? Capabilities { get; init; }
    /// <summary>The UID the container's processes run as; overrides the pod's and the image's.</summary>
    public long? RunAsUser { get; init; }
    /// <summary>The primary GID of the container's processes; overrides the pod's and the image's.</summary>
    public long? RunAsGroup { get; init; }
    /// <summary>When true, the node agent refuses to start the container if it would run as UID 0.</summary>
    public bool? RunAsNonRoot { get; init; }
    /// <summary>Mount the container's root filesystem read-only.</summary>
    public bool? ReadOnlyRootFilesystem { get; init; }
    /// <summary>The container's seccomp profile; overrides the pod's.</summary>
    public SeccompProfile? SeccompProfile { get; init; }
    /// <summary><c>Default</c> (masked and read-only paths of /proc) or <c>Unmasked</c>.</summary>
    public string? ProcMount { get; init; }
    /// <summary>The container's SELinux context; overrides the pod's.</summary>
    public SELinuxOptions? SeLinuxOptions { get; init; }
    /// <summary>The container's AppArmor profile; overrides the pod's.</summary>
    public AppArmorProfile? AppArmorProfile { get; init; }
}
