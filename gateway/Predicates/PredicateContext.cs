namespace Platform.Gateway.Predicates;

/// <summary>What a predicate factory may need beyond its arguments.</summary>
public sealed class PredicateContext(string routeId, WeightGroups weights, TimeProvider time)
{
    public string RouteId { get; } = routeId;
    public WeightGroups Weights { get; } = weights;
    public TimeProvider Time { get; } = time;
}
