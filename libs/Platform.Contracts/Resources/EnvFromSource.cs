namespace Platform.Contracts.Resources;

/// <summary>
/// <c>containers[].envFrom[]</c>: every key of a ConfigMap or a Secret as a variable (with <see cref="Prefix"/>); the
/// container's <c>env</c> entries override them. Keys that are no valid variable name are skipped, as kubelet does.
/// </summary>
public sealed record EnvFromSource
{
    public string? Prefix { get; init; }
    public LocalObjectReference? ConfigMapRef { get; init; }
    public LocalObjectReference? SecretRef { get; init; }
}

/// <summary>A ConfigMap or Secret of the pod's namespace, by name; <see cref="Optional"/>: a missing one is no error.</summary>
public sealed record LocalObjectReference
{
    public string? Name { get; init; }
    public bool? Optional { get; init; }
}

/// <summary>
/// <c>valueFrom.fieldRef</c>, the downward API: a field of the pod (<c>metadata.name</c>, <c>metadata.namespace</c>,
/// <c>metadata.uid</c>, <c>metadata.labels['k']</c>, <c>metadata.annotations['k']</c>, <c>spec.nodeName</c>,
/// <c>spec.serviceAccountName</c>, <c>status.hostIP</c>, <c>status.podIP</c>).
/// </summary>
public sealed record ObjectFieldSelector
{
    public string? ApiVersion { get; init; }
    public string? FieldPath { get; init; }
}
