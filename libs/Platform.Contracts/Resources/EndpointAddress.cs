namespace Platform.Contracts.Resources;

/// <summary>One address of an <see cref="EndpointSubset"/>.</summary>
public sealed record EndpointAddress
{
    public string? Ip { get; init; }
    public string? Hostname { get; init; }
    public string? NodeName { get; init; }
    public ObjectReference? TargetRef { get; init; }
}
