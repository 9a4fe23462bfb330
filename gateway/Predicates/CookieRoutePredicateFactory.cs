using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Cookie=chocolate, ch.p</c>.</summary>
internal sealed class CookieRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Cookie)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var name = args.Required("name");
        var regex = RegexArg.Optional(args, "regexp", context.RegexTimeout);
        return ctx => ctx.Request.Cookies.TryGetValue(name, out var value) && (regex is null || regex.IsMatch(value));
    }
}
