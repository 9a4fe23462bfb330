using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Query=red, gree.</c>: the query parameter exists and (if given) a value matches the regex.</summary>
internal sealed class QueryRoutePredicateFactory : IRoutePredicateFactory
{
    public string Name => "Query";
    public IReadOnlyList<string> ShortcutFields { get; } = ["param", "regexp"];

    public RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var param = args.Required("param");
        var regex = RegexArg.Optional(args, "regexp", context.RegexTimeout);
        return ctx => ctx.Request.Query.TryGetValue(param, out var values)
            && (regex is null || values.Any(v => v is not null && regex.IsMatch(v)));
    }
}
