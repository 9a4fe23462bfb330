using System.Text;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing.Fuzz;

namespace Platform.Gateway.Tests.Fuzz;

/// <summary>
/// The gateway's two surfaces: the actuator API as platformctl and Spring's docs drive it (route definitions with
/// predicates and filters in shortcut and full form), and proxied traffic against routes that exercise the path, host,
/// header, query and cookie predicates and the templated filters.
/// </summary>
internal sealed class GatewayCorpus(string backendUrl)
{
    public string Routes() => $$"""
        spring:
          cloud:
            gateway:
              routes:
        {{R("api", "Path=/api/{segment}/**", "AddRequestHeader=X-Seg, s-{segment}")}}
        {{R("rewrite", "Path=/rewrite/**", "RewritePath=/rewrite/?(?<segment>.*), /$\\{segment}")}}
        {{R("setpath", "Path=/set/{v:[a-z0-9]+}", "SetPath=/got/{v}")}}
        {{R("host", "Host={sub}.example.org,**.example.net", "AddRequestHeader=X-Sub, {sub}")}}
        {{R("header", "Header=X-Request-Id, \\d+", "AddResponseHeader=X-Resp, blue")}}
        {{R("query", "Query=color, gree.", "AddRequestParameter=red, blue")}}
        {{R("cookie", "Cookie=flavor, ch.p", "SetResponseHeader=X-Backend, replaced")}}
        {{R("strip", "Path=/strip/**", "StripPrefix=2")}}
        {{R("size", "Path=/size/**", "RequestSize=1KB")}}
        {{R("headersize", "Path=/headersize/**", "RequestHeaderSize=1KB")}}
        {{R("method", "Method=POST,PUT", "PrefixPath=/mypath")}}
        """;

    private string R(string id, string predicate, string filter) => RouteYaml.Route(id, backendUrl, predicate, filter);

    private static readonly string[] Bases = ["api", "rewrite", "set", "strip", "size", "headersize", "host", "header", "query", "cookie", "nowhere"];

    public FuzzRequest Proxy(Mutator m)
    {
        var first = m.Pick(Bases);
        var path = m.OneIn(3) ? "/" + first + "/" + Uri.EscapeDataString(m.Pick("a", "blue", "x1", "deep/er")) : m.Path(first, m.Pick("a", "blue", "café", "x1"), "tail");
        var query = m.Next(4) switch
        {
            0 => m.Query(("color", "green"), ("page", "2")),
            1 => "?color=" + m.Pick("green", "grey", "red"),
            _ => "",
        };
        var request = new FuzzRequest(m.Method("GET"), path + query) { Label = "proxy-" + first };
        if (m.OneIn(3)) request = request.WithHeader("X-Request-Id", m.OneIn(2) ? m.Digits(m.Next(1, 12)) : m.HeaderValue("42"));
        if (m.OneIn(4)) request = request.WithHeader("Cookie", "flavor=" + (m.OneIn(2) ? "chip" : m.HeaderValue("chop")));
        if (m.OneIn(5)) request = request.WithHeader("Host", m.Pick("blue.example.org", "a.b.example.net", "example.org", m.MutateText("x.example.org")));
        if (m.OneIn(6)) request = request.WithHeader(m.Pick("X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "Origin", "Accept"), m.HeaderValue("127.0.0.1"));
        if (m.OneIn(4)) request = request.WithBody(m.OneIn(3) ? new byte[m.Next(1000, 5000)] : m.JsonBody("""{"a":1,"b":[true,"x"]}"""), m.ContentType("application/json"));
        return request;
    }

    private static readonly string[] Predicates = ["Path=/dyn/**", "Host=**.example.org", "Header=X-Id, \\d+", "Query=color, gree.", "Cookie=flavor, ch.p", "Method=GET", "After=2017-01-20T17:42:47.789-07:00[America/Denver]", "Weight=g, 5"];
    private static readonly string[] Filters = ["AddRequestHeader=X-Dyn, yes", "RewritePath=/dyn/(?<s>.*), /$\\{s}", "SetPath=/x", "StripPrefix=1", "RequestRateLimiter=zero", "SetStatus=418", "RedirectTo=302, https://acme.org", "RequestSize=5MB"];

    private string RouteSpec(Mutator m)
    {
        string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var predicate = m.OneIn(2) ? Quote(m.Pick(Predicates)) : $$$"""{"name":"Path","args":{"patterns":"/dyn{{{m.Next(9)}}}/**"}}""";
        var filter = m.OneIn(2) ? Quote(m.Pick(Filters)) : """{"name":"AddRequestHeader","args":{"name":"X-Dyn","value":"{segment}"}}""";
        return $$$"""{"uri":"{{{backendUrl}}}","order":{{{m.Next(-5, 5)}}},"predicates":[{{{predicate}}}],"filters":[{{{filter}}}],"metadata":{"team":"a"}}""";
    }

    public FuzzRequest Admin(Mutator m)
    {
        var id = m.OneIn(3) ? m.Segment("dyn") : "dyn" + m.Next(9);
        var request = m.Next(8) switch
        {
            0 or 1 or 2 => new FuzzRequest(m.Method("POST"), "/actuator/gateway/routes/" + id) { Label = "post-route" }
                .WithBody(m.OneIn(4) ? Encoding.UTF8.GetBytes(RouteSpec(m)) : m.JsonBody(RouteSpec(m)), m.ContentType("application/json")),
            3 => new FuzzRequest(m.Method("GET"), "/actuator/gateway/routes" + (m.OneIn(2) ? "" : "/" + id)) { Label = "get-route" },
            4 => new FuzzRequest(m.Method("DELETE"), "/actuator/gateway/routes/" + m.Pick(id, "api", "rewrite")) { Label = "delete-route" },
            5 => new FuzzRequest(m.Method("POST"), "/actuator/gateway/refresh") { Label = "refresh" },
            6 => new FuzzRequest("GET", m.Path("actuator", "gateway", m.Pick("globalfilters", "routefilters", "routepredicates", "routes"))) { Label = "listing" },
            _ => new FuzzRequest(m.Method("GET"), m.Path("actuator", "gateway", m.WeirdScalar())) { Label = "unknown" },
        };
        return m.Next(10) switch
        {
            0 => request,
            1 => request.WithHeader("Authorization", m.Pick("Bearer", "Bearer wrong", "Basic eDp5", "bearer " + GatewayHost.AdminToken + "x")),
            2 => request.WithHeader("Authorization", "Bearer " + m.HeaderValue(GatewayHost.AdminToken)),
            _ => request.WithHeader("Authorization", "Bearer " + GatewayHost.AdminToken),
        };
    }
}
