namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: Namespace</c> (cluster-scoped). Deleting one deletes its contents.</summary>
public sealed record Namespace : Resource
{
    public NamespaceStatus? Status { get; init; }
}
