namespace Platform.Gateway.Predicates;

/// <summary>What a predicate factory may need beyond its arguments.</summary>
public sealed class PredicateContext(string routeId, WeightGroups weights, TimeProvider time, TimeSpan? regexTimeout = null)
{
    /// <summary><c>Gateway:RegexTimeout</c>, for every regex the predicate builds.</summary>
    public TimeSpan RegexTimeout { get; } = regexTimeout ?? Configuration.GatewayOptions.DefaultRegexTimeout;

    public string RouteId { get; } = routeId;
    public WeightGroups Weights { get; } = weights;
    public TimeProvider Time { get; } = time;
}
