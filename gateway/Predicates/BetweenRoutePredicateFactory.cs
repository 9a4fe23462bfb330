using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Between=datetime1, datetime2</c> (datetime1 must be before datetime2).</summary>
internal sealed class BetweenRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Between)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var from = DateTimeArg.Parse(args, "datetime1");
        var to = DateTimeArg.Parse(args, "datetime2");
        if (from >= to) throw new GatewayArgumentException("datetime2", "must be after datetime1");
        return _ =>
        {
            var now = context.Time.GetUtcNow();
            return now > from && now < to;
        };
    }
}
