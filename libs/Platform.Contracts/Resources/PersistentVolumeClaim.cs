namespace Platform.Contracts.Resources;

/// <summary><c>v1 PersistentVolumeClaim</c>: a namespace's request for storage, bound to one PersistentVolume.</summary>
public sealed record PersistentVolumeClaim : Resource
{
    /// <summary>Set by the binder when the claim waits for a provisioner (also the legacy beta name).</summary>
    public const string StorageProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>Set by the scheduler on a WaitForFirstConsumer claim: the node the first pod was placed on.</summary>
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";

    /// <summary>Set by the binder once the claim is bound (<c>yes</c>).</summary>
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";

    /// <summary>Set by the binder when it, not the user, chose the volume.</summary>
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";

    /// <summary>Keeps a claim that a pod still uses from going away under it.</summary>
    public const string ProtectionFinalizer = "kubernetes.io/pvc-protection";

    public PersistentVolumeClaimSpec Spec { get; init; } = new();
    public PersistentVolumeClaimStatus? Status { get; init; }
}

public sealed record PersistentVolumeClaimSpec
{
    public List<string>? AccessModes { get; init; }
    /// <summary>Matches volumes by label (only pre-made ones: a selector turns off provisioning).</summary>
    public LabelSelector? Selector { get; init; }
    /// <summary><c>requests.storage</c>: the least size wanted.</summary>
    public ResourceRequirements? Resources { get; init; }
    /// <summary>Binds to this volume by name.</summary>
    public string? VolumeName { get; init; }
    /// <summary>Null: the default StorageClass (set at admission); empty: only volumes without a class.</summary>
    public string? StorageClassName { get; init; }
    public string? VolumeMode { get; init; }
}

public sealed record PersistentVolumeClaimStatus
{
    /// <summary>Pending, Bound or Lost.</summary>
    public string? Phase { get; init; }
    public List<string>? AccessModes { get; init; }
    public ResourceList? Capacity { get; init; }
    public List<Condition>? Conditions { get; init; }
}

/// <summary>A pod volume that mounts the volume bound to a claim of the pod's namespace.</summary>
public sealed record PersistentVolumeClaimVolumeSource
{
    public string? ClaimName { get; init; }
    public bool? ReadOnly { get; init; }
}
