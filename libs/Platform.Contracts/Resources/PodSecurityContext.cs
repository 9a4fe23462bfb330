namespace Platform.Contracts.Resources;

/// <summary>
/// Security settings for every container of a pod (<c>spec.securityContext</c>); a container's own
/// <see cref="SecurityContext"/> overrides the fields both have.
/// </summary>
public sealed record PodSecurityContext
{
    /// <summary>The UID the containers' processes run as; the image's user when unset.</summary>
    public long? RunAsUser { get; init; }
    /// <summary>The primary GID of the containers' processes; the image's group when unset.</summary>
    public long? RunAsGroup { get; init; }
    /// <summary>When true, the node agent refuses to start a container that would run as UID 0.</summary>
    public bool? RunAsNonRoot { get; init; }
    /// <summary>A supplemental group of every container's processes (Kubernetes also gives it the pod's volumes).</summary>
    public long? FsGroup { get; init; }
    /// <summary>More groups for the first process of each container, besides its primary GID.</summary>
    public List<long>? SupplementalGroups { get; init; }
    /// <summary>The seccomp profile of the containers.</summary>
    public SeccompProfile? SeccompProfile { get; init; }
    /// <summary>Namespaced kernel parameters set for the pod; Pod Security baseline allows only the safe set.</summary>
    public List<Sysctl>? Sysctls { get; init; }
    /// <summary>The SELinux context of the containers.</summary>
    public SELinuxOptions? SeLinuxOptions { get; init; }
    /// <summary>The AppArmor profile of the containers.</summary>
    public AppArmorProfile? AppArmorProfile { get; init; }
}
