namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// <c>gateway.networking.k8s.io/v1beta1 ReferenceGrant</c>: lets the kinds of other namespaces listed in
/// <see cref="ReferenceGrantSpec.From"/> refer to the objects of this namespace listed in
/// <see cref="ReferenceGrantSpec.To"/> (an HTTPRoute's backendRef to a Service here, say). Without one, such a
/// backendRef is refused with <c>ResolvedRefs=False</c>, reason <c>RefNotPermitted</c>.
/// </summary>
public sealed record ReferenceGrant : Resource
{
    public ReferenceGrantSpec Spec { get; init; } = new();
}

/// <summary><c>spec</c> of a <see cref="ReferenceGrant"/>.</summary>
public sealed record ReferenceGrantSpec
{
    /// <summary>Who may refer here: group, kind and namespace each; 1 to 16 entries.</summary>
    public List<ReferenceGrantFrom>? From { get; init; }
    /// <summary>What may be referred to: group, kind and optionally name; 1 to 16 entries.</summary>
    public List<ReferenceGrantTo>? To { get; init; }
}

/// <summary>A kind in a namespace allowed to refer (<c>group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web</c>).</summary>
public sealed record ReferenceGrantFrom
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>A kind (and optionally one name) of this namespace that may be referred to (<c>group: "", kind: Service</c>).</summary>
public sealed record ReferenceGrantTo
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
}
