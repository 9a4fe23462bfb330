namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes-style object metadata. The apiserver owns <see cref="Uid"/>, <see cref="ResourceVersion"/>,
/// <see cref="Generation"/>, <see cref="CreationTimestamp"/> and <see cref="DeletionTimestamp"/>; clients set the rest.
/// </summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? GenerateName { get; init; }
    public string? Namespace { get; init; }
    public string? Uid { get; init; }
    /// <summary>The global revision at which this object last changed (decimal string, as in Kubernetes).</summary>
    public string? ResourceVersion { get; init; }
    /// <summary>Incremented by the apiserver each time <c>spec</c> changes.</summary>
    public long? Generation { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
    public List<OwnerReference>? OwnerReferences { get; init; }
    public List<string>? Finalizers { get; init; }
}
