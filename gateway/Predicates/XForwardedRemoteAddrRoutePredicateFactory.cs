using System.Net;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary>
/// <c>XForwardedRemoteAddr=192.168.1.1/24</c>: the client address is the right-most <c>X-Forwarded-For</c>
/// entry (the one our trusted proxy appended; Spring's default <c>maxTrustedIndex</c> of 1), else the peer.
/// </summary>
internal sealed class XForwardedRemoteAddrRoutePredicateFactory() : BuiltInPredicateFactory(PredicateSchemas.XForwardedRemoteAddr)
{
    public override RoutePredicate Create(ComponentArgs args, PredicateContext context)
    {
        var ranges = args.List("sources").Select(s => CidrRange.Parse(s, "sources")).ToArray();
        return ctx =>
        {
            var address = ctx.Connection.RemoteIpAddress;
            var xff = ctx.Request.Headers["X-Forwarded-For"].ToString();
            if (xff.Length > 0)
            {
                var last = xff.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
                if (last is null || !IPAddress.TryParse(last, out address)) return false;
            }
            return ranges.Any(r => r.Contains(address));
        };
    }
}
