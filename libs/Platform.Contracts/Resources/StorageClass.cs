namespace Platform.Contracts.Resources;

/// <summary>
/// <c>storage.k8s.io/v1 StorageClass</c> (cluster-scoped): how volumes of a class are made. The apiserver creates
/// <see cref="StandardClass"/>, the default, served by the node agents' local provisioner.
/// </summary>
public sealed record StorageClass : Resource
{
    /// <summary>Marks the class claims without <c>storageClassName</c> get.</summary>
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    /// <summary>The class the apiserver creates.</summary>
    public const string StandardClass = "standard";

    /// <summary>The node agents' provisioner: a directory per volume under the node's data root.</summary>
    public const string LocalProvisioner = "platform.io/local-path";

    /// <summary>Who makes the volumes (immutable).</summary>
    public string? Provisioner { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    /// <summary>Delete (default) or Retain, given to the volumes made.</summary>
    public string? ReclaimPolicy { get; init; }
    public List<string>? MountOptions { get; init; }
    public bool? AllowVolumeExpansion { get; init; }
    /// <summary>Immediate (default) or WaitForFirstConsumer.</summary>
    public string? VolumeBindingMode { get; init; }
}
