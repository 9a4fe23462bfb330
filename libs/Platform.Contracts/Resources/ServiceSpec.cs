namespace Platform.Contracts.Resources;

public sealed record ServiceSpec
{
    /// <summary><c>ClusterIP</c> (default), <c>NodePort</c> or <c>LoadBalancer</c>.</summary>
    public string? Type { get; init; }
    public Dictionary<string, string>? Selector { get; init; }
    public List<ServicePort>? Ports { get; init; }
    public string? ClusterIP { get; init; }
    /// <summary><c>None</c> (default) or <c>ClientIP</c>.</summary>
    public string? SessionAffinity { get; init; }
}
