using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Weight=group1, 8</c>: routes of one group share traffic in proportion to their weights.</summary>
internal sealed class WeightRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Weight)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var group = args.Required("group");
        var weight = args.Int("weight", min: 0);
        context.Weights.Add(group, context.RouteId, weight);
        var weights = context.Weights;
        var routeId = context.RouteId;
        return ctx => weights.IsChosen(ctx, group, routeId);
    }
}
