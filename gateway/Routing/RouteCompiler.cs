using Microsoft.AspNetCore.Http;
using Platform.Contracts.Registry;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.LoadBalancing;
using Platform.Gateway.Predicates;

namespace Platform.Gateway.Routing;

/// <summary>
/// Turns route definitions into <see cref="CompiledRoute"/>s by looking up predicate and filter factories by name.
/// Every failure is a <see cref="RouteDefinitionException"/> naming the route, the predicate or filter and the argument.
/// </summary>
public sealed class RouteCompiler
{
    private readonly Dictionary<string, IRoutePredicateFactory> _predicates;
    private readonly Dictionary<string, IGatewayFilterFactory> _filters;
    private readonly IGlobalFilter[] _globals;
    private readonly TimeProvider _time;
    private readonly TimeSpan _regexTimeout;
    private readonly GatewayOptions.HttpClientOptions _httpClient;

    public RouteCompiler(IEnumerable<IRoutePredicateFactory> predicates, IEnumerable<IGatewayFilterFactory> filters,
        IEnumerable<IGlobalFilter> globals, TimeProvider time, Microsoft.Extensions.Options.IOptions<GatewayOptions> options)
    {
        _regexTimeout = options.Value.RegexTimeout;
        _httpClient = options.Value.HttpClient;
        // Later registrations win, so a team can replace a built-in factory by registering its own with the same name.
        _predicates = new(StringComparer.OrdinalIgnoreCase);
        foreach (var p in predicates) _predicates[p.Name] = p;
        _filters = new(StringComparer.OrdinalIgnoreCase);
        foreach (var f in filters) _filters[f.Name] = f;
        _globals = globals.OrderBy(g => g.Order).ToArray();
        _time = time;
    }

    public IEnumerable<IRoutePredicateFactory> PredicateFactories => _predicates.Values;
    public IEnumerable<IGatewayFilterFactory> FilterFactories => _filters.Values;
    public IReadOnlyList<IGlobalFilter> GlobalFilters => _globals;

    /// <summary>
    /// Compiles a set of routes together (Weight groups span routes); ids must be unique. <paramref name="httpClient"/>
    /// (the routes file's <c>httpclient</c> timeouts) applies where a route's metadata sets none.
    /// </summary>
    public IReadOnlyList<CompiledRoute> CompileAll(IReadOnlyList<RouteDefinition> routes, IReadOnlyList<ComponentDefinition> defaultFilters,
        HttpClientDefinition? httpClient = null)
    {
        var weights = new WeightGroups();
        return routes.Select(r => Compile(r, defaultFilters, weights, httpClient)).ToList();
    }

    public CompiledRoute Compile(RouteDefinition route, IReadOnlyList<ComponentDefinition> defaultFilters, WeightGroups weights,
        HttpClientDefinition? httpClient = null)
    {
        httpClient ??= HttpClientDefinition.None;
        var upstream = ParseUpstream(route, httpClient.ConnectTimeout ?? _httpClient.ConnectTimeout);
        var pctx = new PredicateContext(route.Id, weights, _time, _regexTimeout);
        var predicates = route.Predicates.Select((d, i) =>
        {
            if (!_predicates.TryGetValue(d.Name, out var factory))
                throw RouteDefinitionException.For(route.Id, $"predicates[{i}]", null, $"unknown predicate '{d.Name}' (known: {string.Join(", ", _predicates.Keys.Order())})");
            return Build(route.Id, $"predicate {d.Name}", () => factory.Create(Bind(d, factory.Schema, factory.ShortcutFields, factory.ShortcutType), pctx));
        }).ToArray();

        var fctx = new FilterContext(route, _regexTimeout);
        var ordered = new List<(int Order, IGatewayFilter Filter)>();
        foreach (var g in _globals) ordered.Add((g.Order, new GlobalFilterAdapter(g)));
        var position = 0;
        foreach (var d in defaultFilters.Concat(route.Filters))
        {
            position++;
            if (!_filters.TryGetValue(d.Name, out var factory))
                throw RouteDefinitionException.For(route.Id, $"filter {d.Name}", null, $"unknown filter (known: {string.Join(", ", _filters.Keys.Order())})");
            ordered.Add((position, Build(route.Id, $"filter {d.Name}", () => factory.Create(Bind(d, factory.Schema, factory.ShortcutFields, factory.ShortcutType), fctx))));
        }
        // Stable: equal orders keep their written order, like Spring's AnnotationAwareOrderComparator.
        var filters = ordered.Select((f, i) => (f, i)).OrderBy(x => x.f.Order).ThenBy(x => x.i).Select(x => x.f.Filter).ToArray();
        return new CompiledRoute(route, predicates, filters, upstream, ResponseTimeout(route, httpClient), RequestTimeout(route));
    }

    /// <summary>A built-in factory's arguments are checked against its schema first: the same check the apiserver makes.</summary>
    private static ComponentArgs Bind(ComponentDefinition d, ComponentSchema? schema, IReadOnlyList<string> shortcutFields, ShortcutType type) =>
        schema is not null ? ComponentSchemaValidator.Validate(d, schema) : new ComponentArgs(d, shortcutFields, type);

    private static T Build<T>(string routeId, string component, Func<T> create)
    {
        try { return create(); }
        catch (GatewayArgumentException ex) { throw RouteDefinitionException.For(routeId, component, ex.Argument, ex.Message); }
    }

    /// <summary>Route metadata, else the routes file, else <c>Gateway:HttpClient:ResponseTimeout</c>; as in Spring, a negative value in metadata turns it off.</summary>
    private TimeSpan? ResponseTimeout(RouteDefinition route, HttpClientDefinition httpClient)
    {
        if (!route.Metadata.TryGetValue("response-timeout", out var rt))
            return httpClient.ResponseTimeout ?? (_httpClient.ResponseTimeout > TimeSpan.Zero ? _httpClient.ResponseTimeout : null);
        if (long.TryParse(rt, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms < 0)
            return null;
        return Durations.TryParse(rt, out var d) && d > TimeSpan.Zero ? d
            : throw RouteDefinitionException.For(route.Id, "metadata", "response-timeout", $"'{rt}' is not a duration in ms (-1 turns the timeout off)");
    }

    /// <summary><c>metadata.request-timeout</c> (a duration in ms), or null when absent.</summary>
    private static TimeSpan? RequestTimeout(RouteDefinition route)
    {
        if (!route.Metadata.TryGetValue("request-timeout", out var rt)) return null;
        return Durations.TryParse(rt, out var d) && d > TimeSpan.Zero ? d
            : throw RouteDefinitionException.For(route.Id, "metadata", "request-timeout", $"'{rt}' is not a positive duration in ms");
    }

    private static Upstream ParseUpstream(RouteDefinition route, TimeSpan defaultConnectTimeout)
    {
        var upstream = ParseTarget(route, defaultConnectTimeout);
        if (!route.Metadata.TryGetValue("http-version", out var version)) return upstream;
        return version.Trim() switch
        {
            "2" or "2.0" or "h2" or "h2c" => upstream with { HttpVersion = "2" },
            "1.1" or "http/1.1" => upstream with { HttpVersion = "1.1" },
            _ => throw RouteDefinitionException.For(route.Id, "metadata", "http-version", $"'{version}' is not 2 (HTTP/2, h2c for http://) or 1.1"),
        };
    }

    private static Upstream ParseTarget(RouteDefinition route, TimeSpan defaultConnectTimeout)
    {
        var text = route.Uri.Trim().Trim('<', '>');
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "lb" or "no"))
            throw RouteDefinitionException.For(route.Id, "route", "uri", $"'{route.Uri}' must be http://host[:port], https://..., lb://service-name or no://op");
        var connectTimeout = defaultConnectTimeout;
        if (route.Metadata.TryGetValue("connect-timeout", out var ct))
        {
            connectTimeout = Durations.TryParse(ct, out var d) && d > TimeSpan.Zero ? d
                : throw RouteDefinitionException.For(route.Id, "metadata", "connect-timeout", $"'{ct}' is not a duration in ms");
        }
        var policy = LoadBalancingPolicyNames.RoundRobin;
        if (route.Metadata.TryGetValue("loadbalancer", out var lb) || route.Metadata.TryGetValue("load-balancer", out lb))
        {
            policy = LoadBalancingPolicyNames.Resolve(lb)
                ?? throw RouteDefinitionException.For(route.Id, "metadata", "loadbalancer", $"'{lb}' is not one of {string.Join(", ", LoadBalancingPolicyNames.All)}");
        }
        // Spring ignores the path of a route's uri; the request path is forwarded as is.
        // no://op: a filter (SetRequestUri, RequestHeaderToRequestUri) names the URL of each request.
        if (uri.Scheme == "no") return new Upstream(uri.Scheme, NoOpAddress, policy, connectTimeout);
        if (uri.Scheme != "lb") return new Upstream(uri.Scheme, $"{uri.Scheme}://{uri.Authority}", policy, connectTimeout);
        if (route.Namespace is not { } ns) return new Upstream(uri.Scheme, uri.Host, policy, connectTimeout);
        // A Route resource reaches Services: lb://NAME in its own namespace, lb://NAME.NAMESPACE elsewhere (when granted).
        var service = ServiceApplication.Resolve(uri.Host, ns)
            ?? throw RouteDefinitionException.For(route.Id, "route", "uri", $"'{route.Uri}': a Route's lb:// names a Service, lb://NAME or lb://NAME.NAMESPACE");
        return new Upstream(uri.Scheme, service.ToString(), policy, connectTimeout, service.Namespace == ns || route.Source == RouteSources.GatewayApi ? null : ns, service, route.BackendPort);
    }

    /// <summary>The destination of a <c>no://op</c> cluster, never connected to: <c>.invalid</c> never resolves.</summary>
    internal const string NoOpAddress = "http://no-op.invalid";

    private sealed class GlobalFilterAdapter(IGlobalFilter global) : IGatewayFilter
    {
        public Task InvokeAsync(HttpContext context, GatewayDelegate next) => global.InvokeAsync(context, next);
    }
}
