namespace Platform.Contracts.Resources;

/// <summary>A pod volume: exactly one of <see cref="EmptyDir"/>, <see cref="HostPath"/>, <see cref="ConfigMap"/>, <see cref="Secret"/> or <see cref="PersistentVolumeClaim"/>.</summary>
public sealed record Volume
{
    /// <summary>Unique within the pod; what volumeMounts name.</summary>
    public string? Name { get; init; }
    /// <summary>A directory that lives as long as the pod.</summary>
    public EmptyDirVolumeSource? EmptyDir { get; init; }
    /// <summary>A path on the node.</summary>
    public HostPathVolumeSource? HostPath { get; init; }
    /// <summary>A ConfigMap's keys as files.</summary>
    public ConfigMapVolumeSource? ConfigMap { get; init; }
    /// <summary>A Secret's keys as files.</summary>
    public SecretVolumeSource? Secret { get; init; }
    /// <summary>The volume bound to a claim of the pod's namespace.</summary>
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }
}
