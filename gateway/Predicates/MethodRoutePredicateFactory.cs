using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Method=GET,POST</c>.</summary>
internal sealed class MethodRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Method)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var methods = args.List(args.Find("methods") is null && args.Find("method") is not null ? "method" : "methods")
            .Select(m => m.ToUpperInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return ctx => methods.Contains(ctx.Request.Method);
    }
}
