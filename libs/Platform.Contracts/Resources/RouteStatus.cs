namespace Platform.Contracts.Resources;

/// <summary>
/// What the gateway made of a Route, as Gateway API reports a route's status: the conditions <c>Accepted</c> (it
/// compiles and holds its host/path claim), <c>ResolvedRefs</c> (its backend has instances) and <c>Programmed</c>
/// (it is in the snapshot being served), each with a reason and the generation it describes, and the instances its
/// <c>lb://</c> backend resolved to.
/// </summary>
public sealed record RouteStatus
{
    /// <summary>The <c>metadata.generation</c> the conditions were computed for.</summary>
    public long? ObservedGeneration { get; init; }
    public List<Condition>? Conditions { get; init; }
    /// <summary>The backend addresses the gateway sends this route's requests to (<c>http://10.0.0.5:8080</c>).</summary>
    public List<string>? Instances { get; init; }
}
