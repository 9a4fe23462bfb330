using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Path=/red/{segment},/blue/**</c>: any pattern matches; captured variables go to the request state.</summary>
internal sealed class PathRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Path)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var trailing = args.Bool("matchTrailingSlash", true);
        var patterns = (args.FindAny("patterns", "pattern") ?? throw new GatewayArgumentException("patterns", "required"))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var regexes = patterns.Select(p => p.StartsWith('/') ? PatternCompiler.Compile(p, '/', "patterns", context.RegexTimeout, trailing)
            : throw new GatewayArgumentException("patterns", $"'{p}' must start with '/'")).ToArray();
        var names = regexes.Select(PatternCompiler.VariableNames).ToArray();
        return ctx =>
        {
            var path = ctx.Request.Path.Value ?? "/";
            for (var i = 0; i < regexes.Length; i++)
            {
                var regex = regexes[i];
                var m = regex.Match(path);
                if (!m.Success) continue;
                if (names[i].Length > 0) PatternCompiler.CaptureVariables(names[i], m, ctx);
                return true;
            }
            return false;
        };
    }
}
