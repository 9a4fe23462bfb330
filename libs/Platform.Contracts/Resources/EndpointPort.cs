namespace Platform.Contracts.Resources;

/// <summary>A port of an <see cref="EndpointSlice"/> or of an <see cref="EndpointSubset"/>: the Service port's name, the pod's port number.</summary>
public sealed record EndpointPort
{
    /// <summary>The Service port's name (empty for a single unnamed port).</summary>
    public string? Name { get; init; }
    /// <summary><c>TCP</c> (default), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; init; }
    public int? Port { get; init; }
    public string? AppProtocol { get; init; }
}
