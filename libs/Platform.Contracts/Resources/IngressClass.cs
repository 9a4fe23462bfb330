namespace Platform.Contracts.Resources;

/// <summary><c>networking.k8s.io/v1 IngressClass</c>: names the controller that serves an Ingress (the gateway serves <c>platform</c>).</summary>
public sealed record IngressClass : Resource
{
    /// <summary>The annotation marking the class Ingresses without <c>ingressClassName</c> belong to.</summary>
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    /// <summary>The class the apiserver creates and the gateway serves.</summary>
    public const string PlatformClass = "platform";

    /// <summary>The gateway's controller name, in <c>spec.controller</c>.</summary>
    public const string GatewayController = "gateway.platform.io/ingress-controller";

    public IngressClassSpec Spec { get; init; } = new();
}

public sealed record IngressClassSpec
{
    /// <summary>A domain-prefixed path naming the controller, e.g. <c>gateway.platform.io/ingress-controller</c>; immutable.</summary>
    public string? Controller { get; init; }
    public IngressClassParameters? Parameters { get; init; }
}

public sealed record IngressClassParameters
{
    public string? ApiGroup { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    /// <summary><c>Cluster</c> or <c>Namespace</c>.</summary>
    public string? Scope { get; init; }
    public string? Namespace { get; init; }
}
