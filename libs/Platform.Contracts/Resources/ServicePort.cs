namespace Platform.Contracts.Resources;

public sealed record ServicePort
{
    public string? Name { get; init; }
    public string? Protocol { get; init; }
    public int Port { get; init; }
    /// <summary>A container port number or name; defaults to <see cref="Port"/>.</summary>
    public IntOrString? TargetPort { get; init; }
    /// <summary>30000-32767 for <c>NodePort</c> and <c>LoadBalancer</c> services.</summary>
    public int? NodePort { get; init; }
}
