namespace Platform.Contracts.Resources;

public sealed record ServiceSpec
{
    /// <summary><c>ClusterIP</c> (default), <c>NodePort</c> or <c>LoadBalancer</c>.</summary>
    public string? Type { get; init; }
    /// <summary>The labels of the pods that receive the Service's traffic.</summary>
    public Dictionary<string, string>? Selector { get; init; }
    /// <summary>The ports the Service exposes.</summary>
    public List<ServicePort>? Ports { get; init; }
    /// <summary>The Service's virtual IP; <c>None</c> for a headless Service.</summary>
    public string? ClusterIP { get; init; }
    /// <summary><c>None</c> (default) or <c>ClientIP</c>.</summary>
    public string? SessionAffinity { get; init; }
}
