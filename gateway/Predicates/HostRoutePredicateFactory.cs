using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>Host=**.somehost.org,{sub}.anotherhost.org</c> against the Host header (port ignored).</summary>
internal sealed class HostRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.Host)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var regexes = args.List(args.Find("patterns") is null && args.Find("pattern") is not null ? "pattern" : "patterns")
            .Select(p => PatternCompiler.Compile(p.Split(':')[0], '.', "patterns", context.RegexTimeout)).ToArray();
        var names = regexes.Select(PatternCompiler.VariableNames).ToArray();
        return ctx =>
        {
            var host = ctx.Request.Host.Host;
            for (var i = 0; i < regexes.Length; i++)
            {
                var regex = regexes[i];
                var m = regex.Match(host);
                if (!m.Success) continue;
                if (names[i].Length > 0) PatternCompiler.CaptureVariables(names[i], m, ctx);
                return true;
            }
            return false;
        };
    }
}
