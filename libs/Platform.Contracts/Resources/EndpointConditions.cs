namespace Platform.Contracts.Resources;

/// <summary>An endpoint's state: ready (receives new traffic), serving (ready, terminating or not), terminating.</summary>
public sealed record EndpointConditions
{
    public bool? Ready { get; init; }
    public bool? Serving { get; init; }
    public bool? Terminating { get; init; }
}
