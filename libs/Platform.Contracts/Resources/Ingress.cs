namespace Platform.Contracts.Resources;

/// <summary><c>networking.k8s.io/v1 Ingress</c>: host and path rules sending HTTP traffic to Services, served by the gateway.</summary>
public sealed record Ingress : Resource
{
    public IngressSpec Spec { get; init; } = new();
    public IngressStatus? Status { get; init; }
}

public sealed record IngressSpec
{
    /// <summary>The IngressClass whose controller serves this Ingress; none: the default class.</summary>
    public string? IngressClassName { get; init; }
    /// <summary>Where requests that match no rule go.</summary>
    public IngressBackend? DefaultBackend { get; init; }
    /// <summary>Hosts served over TLS, each list with the Secret holding its certificate.</summary>
    public List<IngressTls>? Tls { get; init; }
    public List<IngressRule>? Rules { get; init; }
}

public sealed record IngressRule
{
    /// <summary>A DNS name, or <c>*.example.com</c> matching one label; none: every host.</summary>
    public string? Host { get; init; }
    public HttpIngressRuleValue? Http { get; init; }
}

public sealed record HttpIngressRuleValue
{
    public List<HttpIngressPath> Paths { get; init; } = [];
}

public sealed record HttpIngressPath
{
    public string? Path { get; init; }
    /// <summary><c>Exact</c>, <c>Prefix</c> (element-wise) or <c>ImplementationSpecific</c> (here: Prefix).</summary>
    public string? PathType { get; init; }
    public IngressBackend? Backend { get; init; }
}

public sealed record IngressBackend
{
    public IngressServiceBackend? Service { get; init; }
    /// <summary>A backend of another kind; the gateway serves only Service backends and reports this one.</summary>
    public TypedLocalObjectReference? Resource { get; init; }
}

public sealed record IngressServiceBackend
{
    public string? Name { get; init; }
    public ServiceBackendPort? Port { get; init; }
}

/// <summary>A Service port by its name or its number, never both.</summary>
public sealed record ServiceBackendPort
{
    public string? Name { get; init; }
    public int? Number { get; init; }
}

public sealed record TypedLocalObjectReference
{
    public string? ApiGroup { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
}

public sealed record IngressTls
{
    public List<string>? Hosts { get; init; }
    /// <summary>A <c>kubernetes.io/tls</c> Secret in the Ingress's namespace (<c>tls.crt</c>, <c>tls.key</c>).</summary>
    public string? SecretName { get; init; }
}

public sealed record IngressStatus
{
    public IngressLoadBalancerStatus? LoadBalancer { get; init; }
}

public sealed record IngressLoadBalancerStatus
{
    public List<IngressLoadBalancerIngress>? Ingress { get; init; }
}

public sealed record IngressLoadBalancerIngress
{
    public string? Ip { get; init; }
    public string? Hostname { get; init; }
    public List<IngressPortStatus>? Ports { get; init; }
}

public sealed record IngressPortStatus
{
    public int Port { get; init; }
    public string? Protocol { get; init; }
    public string? Error { get; init; }
}
