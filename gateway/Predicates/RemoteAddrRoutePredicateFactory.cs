using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>RemoteAddr=192.168.1.1/24,127.0.0.1</c> against the connection's peer address.</summary>
internal sealed class RemoteAddrRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.RemoteAddr)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var ranges = args.List("sources").Select(s => CidrRange.Parse(s, "sources")).ToArray();
        return ctx => ranges.Any(r => r.Contains(ctx.Connection.RemoteIpAddress));
    }
}
