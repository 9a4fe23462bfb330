using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary><c>RemoteAddr=192.168.1.1/24,127.0.0.1</c> against the connection's peer address.</summary>
internal sealed class RemoteAddrRoutePredicateFactory : IRoutePredicateFactory
{
    public string Name => "RemoteAddr";
    public IReadOnlyList<string> ShortcutFields { get; } = ["sources"];
    public ShortcutType ShortcutType => ShortcutType.GatherList;

    public RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var ranges = args.List("sources").Select(s => CidrRange.Parse(s, "sources")).ToArray();
        return ctx => ranges.Any(r => r.Contains(ctx.Connection.RemoteIpAddress));
    }
}
