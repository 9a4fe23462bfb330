namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes-style object metadata. The apiserver owns <see cref="Uid"/>, <see cref="ResourceVersion"/>,
/// <see cref="Generation"/>, <see cref="CreationTimestamp"/> and <see cref="DeletionTimestamp"/>; clients set the rest.
/// </summary>
public sealed record ObjectMeta
{
    /// <summary>Unique within a namespace (or the cluster, for cluster-scoped kinds); a DNS-1123 name for most kinds. Cannot be changed.</summary>
    public string? Name { get; init; }
    /// <summary>A prefix the server completes with a random suffix when <c>name</c> is empty.</summary>
    public string? GenerateName { get; init; }
    /// <summary>The namespace of a namespaced object; empty for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }
    /// <summary>Set by the server when the object is created; unique across time.</summary>
    public string? Uid { get; init; }
    /// <summary>The global revision at which this object last changed (decimal string, as in Kubernetes).</summary>
    public string? ResourceVersion { get; init; }
    /// <summary>Incremented by the apiserver each time <c>spec</c> changes.</summary>
    public long? Generation { get; init; }
    /// <summary>When the server created the object (RFC 3339, UTC).</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }
    /// <summary>Set by the server when a delete is requested and finalizers still hold the object.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }
    /// <summary>Key/value pairs that selectors match (ReplicaSets, Services, label selectors in list requests).</summary>
    public Dictionary<string, string>? Labels { get; init; }
    /// <summary>Key/value pairs for tools and people; not matched by selectors.</summary>
    public Dictionary<string, string>? Annotations { get; init; }
    /// <summary>The objects this one depends on; the garbage collector deletes it when they are gone.</summary>
    public List<OwnerReference>? OwnerReferences { get; init; }
    /// <summary>Names that must all be removed before a deleted object disappears.</summary>
    public List<string>? Finalizers { get; init; }
    /// <summary>Which field manager owns which fields (server-side apply); written by the server only.</summary>
    public List<ManagedFieldsEntry>? ManagedFields { get; init; }
}
