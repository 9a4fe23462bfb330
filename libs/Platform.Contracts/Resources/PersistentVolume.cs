namespace Platform.Contracts.Resources;

/// <summary>
/// <c>v1 PersistentVolume</c> (cluster-scoped): a piece of storage, made by an administrator or by a StorageClass's
/// provisioner, bound to at most one claim through <see cref="PersistentVolumeSpec.ClaimRef"/>.
/// </summary>
public sealed record PersistentVolume : Resource
{
    /// <summary>The annotation naming the provisioner that made the volume (it deletes what it made).</summary>
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";

    /// <summary>The annotation the binder sets on a volume it bound (versus one pre-bound by the user).</summary>
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";

    public PersistentVolumeSpec Spec { get; init; } = new();
    public PersistentVolumeStatus? Status { get; init; }
}

public sealed record PersistentVolumeSpec
{
    /// <summary><c>storage</c>: the volume's size.</summary>
    public ResourceList? Capacity { get; init; }
    /// <summary>ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.</summary>
    public List<string>? AccessModes { get; init; }
    /// <summary>Retain (default for volumes made by hand), Delete or Recycle (refused: deprecated).</summary>
    public string? PersistentVolumeReclaimPolicy { get; init; }
    /// <summary>Empty: only claims without a class bind it.</summary>
    public string? StorageClassName { get; init; }
    /// <summary>The claim this volume is bound to (or reserved for).</summary>
    public ObjectReference? ClaimRef { get; init; }
    /// <summary>Filesystem (default) or Block (refused: this platform mounts directories).</summary>
    public string? VolumeMode { get; init; }
    public List<string>? MountOptions { get; init; }
    /// <summary>A directory on one node; needs <see cref="NodeAffinity"/>.</summary>
    public LocalVolumeSource? Local { get; init; }
    /// <summary>A path on whatever node runs the pod (single-node testing).</summary>
    public HostPathVolumeSource? HostPath { get; init; }
    /// <summary>The nodes the volume can be reached from.</summary>
    public VolumeNodeAffinity? NodeAffinity { get; init; }
}

public sealed record LocalVolumeSource
{
    public string? Path { get; init; }
    public string? FsType { get; init; }
}

public sealed record VolumeNodeAffinity
{
    public NodeSelector? Required { get; init; }
}

public sealed record PersistentVolumeStatus
{
    /// <summary>Pending, Available, Bound, Released or Failed.</summary>
    public string? Phase { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    [System.Text.Json.Serialization.JsonConverter(typeof(TimeJsonConverter))]
    public DateTimeOffset? LastPhaseTransitionTime { get; init; }
}
