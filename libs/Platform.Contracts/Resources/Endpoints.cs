namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: v1</c>, <c>kind: Endpoints</c>: the legacy list of a Service's endpoints, one object named as the
/// Service, mirrored from its EndpointSlices for clients that still read it.
/// </summary>
public sealed record Endpoints : Resource
{
    public List<EndpointSubset>? Subsets { get; init; }
}
