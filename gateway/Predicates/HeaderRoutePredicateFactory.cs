using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Header=X-Request-Id, \d+</c>: the header exists and (if given) one value matches the regex.</summary>
internal sealed class HeaderRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Header)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var header = args.Required("header");
        var regex = RegexArg.Optional(args, "regexp", context.RegexTimeout);
        return ctx => ctx.Request.Headers.TryGetValue(header, out var values)
            && (regex is null || values.Any(v => v is not null && regex.IsMatch(v)));
    }
}
