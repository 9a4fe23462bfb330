using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Before=2017-01-20T17:42:47.789-07:00[America/Denver]</c>.</summary>
internal sealed class BeforeRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Before)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var at = DateTimeArg.Parse(args, "datetime");
        return _ => context.Time.GetUtcNow() < at;
    }
}
