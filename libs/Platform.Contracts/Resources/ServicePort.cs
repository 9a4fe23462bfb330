namespace Platform.Contracts.Resources;

public sealed record ServicePort
{
    /// <summary>The port's name, required when there is more than one port.</summary>
    public string? Name { get; init; }
    /// <summary><c>TCP</c> (default), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; init; }
    /// <summary>The port the Service exposes.</summary>
    public int Port { get; init; }
    /// <summary>A container port number or name; defaults to <see cref="Port"/>.</summary>
    public IntOrString? TargetPort { get; init; }
    /// <summary>30000-32767 for <c>NodePort</c> and <c>LoadBalancer</c> services.</summary>
    public int? NodePort { get; init; }
}
