namespace Platform.Contracts.Resources;

/// <summary>
/// Posted by the scheduler to <c>/api/v1/namespaces/{ns}/pods/{name}/binding</c>: binds the pod to
/// <c>target.name</c> (a node). Fails with 409 when the pod is already bound.
/// </summary>
public sealed record Binding : Resource
{
    public ObjectReference Target { get; init; } = new();
}
