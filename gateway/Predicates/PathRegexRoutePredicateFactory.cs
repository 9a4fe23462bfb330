using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary>
/// <c>PathRegex=/v[0-9]+/items/.*</c>: the whole request path (not a prefix of it) matches the regex, compiled
/// culture-invariant with <c>Gateway:RegexTimeout</c>. Serves Gateway API's <c>RegularExpression</c> path matches.
/// </summary>
internal sealed class PathRegexRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.PathRegex)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var regex = RegexArg.Optional(args, "regexp", context.RegexTimeout) ?? throw new GatewayArgumentException("regexp", "required");
        return ctx => regex.IsMatch(ctx.Request.Path.Value ?? "/");
    }
}
