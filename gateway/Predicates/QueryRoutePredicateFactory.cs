using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Query=red, gree.</c>: the query parameter exists and (if given) a value matches the regex.</summary>
internal sealed class QueryRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Query)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var param = args.Required("param");
        var regex = RegexArg.Optional(args, "regexp", context.RegexTimeout);
        return ctx => ctx.Request.Query.TryGetValue(param, out var values)
            && (regex is null || values.Any(v => v is not null && regex.IsMatch(v)));
    }
}
