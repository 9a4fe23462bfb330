using System.Globalization;
using Platform.Parsing.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Gateway.Configuration;

/// <summary>
/// Reads the <c>spring.cloud.gateway</c> part of a Spring Boot <c>application.yml</c> (also the newer
/// <c>spring.cloud.gateway.server.webflux</c> prefix). Keys are matched with Spring's relaxed binding, so
/// <c>default-filters</c>, <c>defaultFilters</c> and <c>PostLogger</c>/<c>postLogger</c> all bind.
/// Throws <see cref="RouteDefinitionException"/> naming the route and field for a malformed document, and naming the
/// <c>Gateway:RoutesFileLimits</c> key for one over <paramref name="budget"/> (checked before a tree is built).
/// </summary>
public static class SpringYamlLoader
{
    public static GatewayDefinition Load(string yaml, YamlBudget? budget = null)
    {
        try { YamlLimits.Check(yaml, budget ?? YamlBudget.Default); }
        catch (YamlLimitExceededException ex)
        {
            var key = ex.Limit switch { YamlLimit.Aliases => "MaxAliases", YamlLimit.Nodes => "MaxNodes", _ => "MaxDepth" };
            throw new RouteDefinitionException($"gateway YAML: line {ex.Line}: {ex.Reason} (Gateway:RoutesFileLimits:{key})", ex);
        }
        catch (YamlException ex) { throw new RouteDefinitionException($"gateway YAML: line {ex.Start.Line}: {ex.Message}", ex); }
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException ex) { throw new RouteDefinitionException($"gateway YAML: line {ex.Start.Line}: {ex.Message}", ex); }

        var result = GatewayDefinition.Empty;
        // A file may hold several documents (Spring profiles); later documents add routes.
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root) continue;
            var gateway = Child(Child(Child(root, "spring"), "cloud"), "gateway");
            // Gateway 4.3 moved every key below server.webflux; a file may still hold some at the old place: both are
            // read, the new place after the old (its routes added, its settings winning).
            foreach (var node in new[] { gateway, Child(Child(gateway, "server"), "webflux") })
            {
                if (node is YamlMappingNode g) result = Merge(result, ReadGateway(g));
            }
        }
        return result;
    }

    private static GatewayDefinition Merge(GatewayDefinition result, GatewayDefinition d) =>
        result with
        {
            Routes = [.. result.Routes, .. d.Routes],
            DefaultFilters = d.DefaultFilters.Count > 0 ? d.DefaultFilters : result.DefaultFilters,
            DiscoveryLocatorEnabled = result.DiscoveryLocatorEnabled || d.DiscoveryLocatorEnabled,
            DiscoveryLocatorLowerCase = result.DiscoveryLocatorLowerCase || d.DiscoveryLocatorLowerCase,
            Cors = [.. result.Cors, .. d.Cors],
            HttpClient = new HttpClientDefinition(d.HttpClient.ConnectTimeout ?? result.HttpClient.ConnectTimeout,
                d.HttpClient.ResponseTimeout ?? result.HttpClient.ResponseTimeout),
        };

    private static GatewayDefinition ReadGateway(YamlMappingNode g)
    {
        var routes = new List<RouteDefinition>();
        if (Child(g, "routes") is YamlSequenceNode seq)
        {
            var index = 0;
            foreach (var node in seq)
            {
                routes.Add(ReadRoute(node, index++));
            }
        }
        var defaults = Child(g, "default-filters") is YamlSequenceNode df
            ? df.Select((n, i) => ReadComponent(n, "default-filters", $"default-filters[{i}]")).ToList()
            : [];
        var locator = Child(Child(g, "discovery"), "locator");
        return new GatewayDefinition
        {
            Routes = routes,
            DefaultFilters = defaults,
            DiscoveryLocatorEnabled = Scalar(Child(locator, "enabled")) is "true",
            DiscoveryLocatorLowerCase = Scalar(Child(locator, "lower-case-service-id")) is "true",
            Cors = ReadCors(Child(Child(g, "globalcors"), "cors-configurations")),
            HttpClient = ReadHttpClient(Child(g, "httpclient")),
        };
    }

    /// <summary>Spring binds <c>connect-timeout</c> as an int of ms and <c>response-timeout</c> as a Duration (plain number: ms).</summary>
    private static HttpClientDefinition ReadHttpClient(YamlNode? node)
    {
        TimeSpan? Read(string key)
        {
            if (Scalar(Child(node, key)) is not { } text) return null;
            if (!Durations.TryParse(text, out var value) || value <= TimeSpan.Zero)
                throw new RouteDefinitionException($"spring.cloud.gateway.httpclient.{key}: '{text}' is not a positive duration (ms, or 500ms, 2s, PT2S)");
            return value;
        }
        return new HttpClientDefinition(Read("connect-timeout"), Read("response-timeout"));
    }

    private static RouteDefinition ReadRoute(YamlNode node, int index)
    {
        if (node is not YamlMappingNode m) throw new RouteDefinitionException($"routes[{index}]: expected a mapping");
        var id = Scalar(Child(m, "id")) is { Length: > 0 } i ? i : $"route-{index}";
        var uri = Scalar(Child(m, "uri"));
        if (string.IsNullOrWhiteSpace(uri))
            throw RouteDefinitionException.For(id, "route", "uri", "required");
        var orderText = Scalar(Child(m, "order"));
        var order = 0;
        if (orderText is not null && !int.TryParse(orderText, NumberStyles.Integer, CultureInfo.InvariantCulture, out order))
            throw RouteDefinitionException.For(id, "route", "order", $"'{orderText}' is not an integer");
        return new RouteDefinition
        {
            Id = id,
            Uri = uri,
            Order = order,
            Predicates = Items(Child(m, "predicates")).Select((n, k) => ReadComponent(n, id, $"predicates[{k}]")).ToList(),
            Filters = Items(Child(m, "filters")).Select((n, k) => ReadComponent(n, id, $"filters[{k}]")).ToList(),
            Metadata = Flatten(Child(m, "metadata")),
        };
    }

    private static ComponentDefinition ReadComponent(YamlNode node, string routeId, string where)
    {
        if (node is YamlScalarNode s) return ComponentDefinition.ParseShortcut(s.Value ?? "");
        if (node is not YamlMappingNode m || Scalar(Child(m, "name")) is not { Length: > 0 } name)
            throw RouteDefinitionException.For(routeId, where, "name", "expected 'Name=args' or a mapping with 'name' and 'args'");
        return new ComponentDefinition(name, Flatten(Child(m, "args")), []);
    }

    private static List<CorsDefinition> ReadCors(YamlNode? node)
    {
        if (node is not YamlMappingNode m) return [];
        var result = new List<CorsDefinition>();
        foreach (var (key, value) in m.Children)
        {
            var pattern = (Scalar(key) ?? "/**").Trim('[', ']');
            var flat = Flatten(value);
            IReadOnlyList<string> L(string k) => flat.FirstOrDefault(p => ComponentArgs.Normalize(p.Key) == ComponentArgs.Normalize(k)).Value is { } v
                ? v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            var maxAge = L("maxAge") is [var a] && int.TryParse(a, out var ma) ? ma : (int?)null;
            result.Add(new CorsDefinition(pattern, L("allowedOrigins"), L("allowedMethods"), L("allowedHeaders"),
                L("allowCredentials") is ["true"], maxAge));
        }
        return result;
    }

    /// <summary>Nested maps become dotted keys, sequences comma-joined values (how Spring's binder sees them).</summary>
    private static Dictionary<string, string> Flatten(YamlNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Walk(YamlNode n, string prefix)
        {
            switch (n)
            {
                case YamlScalarNode s:
                    result[prefix] = s.Value ?? "";
                    break;
                case YamlSequenceNode q when q.All(c => c is YamlScalarNode):
                    result[prefix] = string.Join(",", q.Select(c => ((YamlScalarNode)c).Value));
                    break;
                case YamlSequenceNode q:
                    var i = 0;
                    foreach (var c in q) Walk(c, $"{prefix}[{i++}]");
                    break;
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children) Walk(v, prefix.Length == 0 ? Scalar(k) ?? "" : $"{prefix}.{Scalar(k)}");
                    break;
            }
        }
        if (node is not null) Walk(node, "");
        return result;
    }

    private static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequenceNode s ? s : [];

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static YamlNode? Child(YamlNode? node, string key)
    {
        if (node is not YamlMappingNode m) return null;
        var wanted = ComponentArgs.Normalize(key);
        foreach (var (k, v) in m.Children)
        {
            if (k is YamlScalarNode s && s.Value is not null && ComponentArgs.Normalize(s.Value) == wanted) return v;
        }
        return null;
    }
}
