namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// <c>gateway.networking.k8s.io/v1 GatewayClass</c> (cluster-scoped): a kind of Gateway and the controller that
/// implements it. The platform's gateway serves the classes whose <see cref="GatewayClassSpec.ControllerName"/> is
/// its own (<c>Gateway:GatewayApi:ControllerName</c>, <c>platform.io/gateway-controller</c> unless set) and reports
/// <c>Accepted</c> on them.
/// </summary>
public sealed record GatewayClass : Resource
{
    public GatewayClassSpec Spec { get; init; } = new();
    public GatewayClassStatus? Status { get; init; }
}

/// <summary><c>spec</c> of a <see cref="GatewayClass"/>.</summary>
public sealed record GatewayClassSpec
{
    /// <summary>The controller that manages Gateways of this class, a domain-prefixed path such as <c>platform.io/gateway-controller</c>; immutable.</summary>
    public string? ControllerName { get; init; }
    /// <summary>Configuration of the controller for this class (not used by the platform's gateway).</summary>
    public ParametersReference? ParametersRef { get; init; }
    /// <summary>Free text describing the class.</summary>
    public string? Description { get; init; }
}

/// <summary>A reference to a resource holding a GatewayClass's parameters.</summary>
public sealed record ParametersReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
}

/// <summary><c>status</c> of a <see cref="GatewayClass"/>: <c>Accepted</c>, written by the class's controller.</summary>
public sealed record GatewayClassStatus
{
    /// <summary><c>Accepted</c> (reasons <c>Accepted</c>, <c>InvalidParameters</c>, <c>Pending</c>).</summary>
    public List<Condition>? Conditions { get; init; }
}
