using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Predicates;

/// <summary><c>Host=**.somehost.org,{sub}.anotherhost.org</c> against the Host header (port ignored).</summary>
internal sealed class HostRoutePredicateFactory : IRoutePredicateFactory
{
    public string Name => "Host";
    public IReadOnlyList<string> ShortcutFields { get; } = ["patterns"];
    public ShortcutType ShortcutType => ShortcutType.GatherList;

    public RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var regexes = args.List(args.Find("patterns") is null && args.Find("pattern") is not null ? "pattern" : "patterns")
            .Select(p => PatternCompiler.Compile(p.Split(':')[0], '.', "patterns")).ToArray();
        return ctx =>
        {
            var host = ctx.Request.Host.Host;
            foreach (var regex in regexes)
            {
                var m = regex.Match(host);
                if (!m.Success) continue;
                PatternCompiler.CaptureVariables(regex, m, GatewayRequestState.Of(ctx).UriVariables);
                return true;
            }
            return false;
        };
    }
}
