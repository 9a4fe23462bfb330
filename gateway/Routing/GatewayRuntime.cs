using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;
using Platform.Gateway.Tenancy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Routing;

/// <summary>
/// Merges the route sources (the Spring YAML file, Route resources, the admin API, the discovery locator) with the
/// registry into one <see cref="GatewaySnapshot"/> and the matching YARP config. A change that does not compile is
/// rejected whole with the compiler's message and the previous snapshot keeps serving. A source never replaces or
/// removes another source's route; Route resources whose hosts and paths another namespace claimed first are held
/// but not served (<see cref="Conflicts"/>, <see cref="RouteClaims"/>).
/// </summary>
public sealed partial class GatewayRuntime
{
    private readonly object _gate = new();
    private readonly RouteCompiler _compiler;
    private readonly IDiscoveryClient _registry;
    private readonly GatewayConfigProvider _yarp;
    private readonly ILogger<GatewayRuntime> _logger;
    private readonly TimeProvider _time;
    private readonly GatewayOptions _options;
    private GatewayDefinition _file = GatewayDefinition.Empty;
    private readonly Dictionary<string, RouteDefinition> _dynamic = new(StringComparer.Ordinal);
    private IReadOnlyList<CompiledRoute> _compiled = [];
    private IReadOnlyList<CompiledRoute> _locator = [];
    private IReadOnlyList<RouteConflict> _conflicts = [];
    private string _locatorApps = "";
    private volatile GatewaySnapshot _current = GatewaySnapshot.Empty;
    private long _version;

    public GatewayRuntime(RouteCompiler compiler, IDiscoveryClient registry, GatewayConfigProvider yarp,
        ILogger<GatewayRuntime> logger, TimeProvider time, IOptions<GatewayOptions> options)
    {
        _compiler = compiler;
        _registry = registry;
        _yarp = yarp;
        _logger = logger;
        _time = time;
        _options = options.Value;
        ChangeToken.OnChange(() => _registry.ChangeToken, OnRegistryChanged);
    }

    public GatewaySnapshot Current => _current;
    public RouteCompiler Compiler => _compiler;
    public IReadOnlyList<ComponentDefinition> DefaultFilters => _file.DefaultFilters;
    public IReadOnlyList<CorsDefinition> Cors => _file.Cors;

    /// <summary>Route resources held but not served, because another namespace claimed their hosts and paths first.</summary>
    public IReadOnlyList<RouteConflict> Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Where the route with this id comes from (<see cref="RouteSources"/>), or null when there is none.</summary>
    public string? SourceOf(string id)
    {
        lock (_gate) return _dynamic.TryGetValue(id, out var held) ? held.Source : _current.Find(id)?.Definition.Source;
    }

    /// <summary>Sets the routes of the YAML file; throws <see cref="RouteDefinitionException"/> and keeps the old ones.</summary>
    public void ApplyFile(GatewayDefinition file)
    {
        lock (_gate)
        {
            var (compiled, conflicts) = CompileAll(file, _dynamic.Values);
            foreach (var c in file.Cors)
            {
                try { Predicates.PatternCompiler.Compile(c.PathPattern, '/', "globalcors", _options.RegexTimeout); }
                catch (GatewayArgumentException ex) { throw new RouteDefinitionException($"globalcors '{c.PathPattern}': {ex.Message}"); }
            }
            _file = file;
            Publish(compiled, conflicts, "file");
        }
    }

    /// <summary>
    /// Adds or replaces a route (Route resource, admin API); throws and keeps the old version when it does not
    /// compile, or when its id belongs to a route of another source.
    /// </summary>
    public void Upsert(RouteDefinition route)
    {
        lock (_gate)
        {
            var (compiled, conflicts) = CompileWith(route);
            _dynamic[route.Id] = route;
            Publish(compiled, conflicts, $"{route.Source} {route.Id}");
        }
    }

    /// <summary>Why <see cref="Upsert"/> would reject <paramref name="route"/> now, or null when it compiles with the other routes.</summary>
    public string? Check(RouteDefinition route)
    {
        lock (_gate)
        {
            try
            {
                CompileWith(route);
                return null;
            }
            catch (RouteDefinitionException ex)
            {
                return ex.Message;
            }
        }
    }

    private (List<CompiledRoute>, IReadOnlyList<RouteConflict>) CompileWith(RouteDefinition route)
    {
        if (_dynamic.TryGetValue(route.Id, out var held) && held.Source != route.Source)
            throw RouteDefinitionException.For(route.Id, "route", "id", $"already defined by {RouteSources.Describe(held.Source)}; change it there");
        return CompileAll(_file, new Dictionary<string, RouteDefinition>(_dynamic, StringComparer.Ordinal) { [route.Id] = route }.Values);
    }

    /// <summary>Removes the route <paramref name="id"/> of <paramref name="source"/>; false when there is none of that source.</summary>
    public bool Remove(string id, string source)
    {
        lock (_gate)
        {
            if (!_dynamic.TryGetValue(id, out var held) || held.Source != source) return false;
            _dynamic.Remove(id);
            var (compiled, conflicts) = CompileAll(_file, _dynamic.Values);
            Publish(compiled, conflicts, $"removed {id}");
            return true;
        }
    }

    /// <summary>Recompiles everything (admin refresh); a failure keeps the current snapshot.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var (compiled, conflicts) = CompileAll(_file, _dynamic.Values);
            Publish(compiled, conflicts, "refresh");
        }
    }

    private (List<CompiledRoute>, IReadOnlyList<RouteConflict>) CompileAll(GatewayDefinition file, IEnumerable<RouteDefinition> dynamic)
    {
        var (served, conflicts) = RouteClaims.Resolve(dynamic);
        // Spring orders by 'order' only; ties keep file routes first, then the admin API's, then Route resources.
        var all = UniqueIds(file.Routes).Concat(served.OrderBy(d => RouteSources.Rank(d.Source)).ThenBy(d => d.Id, StringComparer.Ordinal))
            .Select((r, i) => (r, i)).OrderBy(x => x.r.Order).ThenBy(x => x.i).Select(x => x.r).ToList();
        var duplicate = all.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw RouteDefinitionException.For(duplicate.Key, "route", "id", "another source already defines a route with this id");
        return ([.. _compiler.CompileAll(all, file.DefaultFilters, file.HttpClient)], conflicts);
    }

    /// <summary>Spring tolerates repeated ids in one file (the seed has two 'first-service'); YARP does not, so later ones get '#2', '#3'.</summary>
    private static IEnumerable<RouteDefinition> UniqueIds(IReadOnlyList<RouteDefinition> routes)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in routes)
        {
            seen[r.Id] = seen.GetValueOrDefault(r.Id) + 1;
            yield return seen[r.Id] == 1 ? r : r with { Id = $"{r.Id}#{seen[r.Id]}" };
        }
    }

    private void OnRegistryChanged()
    {
        lock (_gate)
        {
            try { Publish(_compiled, _conflicts, "registry"); }
            catch (RouteDefinitionException ex) { LogRejected(_logger, ex.Message); }
        }
    }

    private void Publish(IReadOnlyList<CompiledRoute> compiled, IReadOnlyList<RouteConflict> conflicts, string reason)
    {
        _compiled = compiled;
        ReportConflicts(conflicts);
        var routes = compiled.Concat(LocatorRoutes()).ToList();
        var snapshot = new GatewaySnapshot(Interlocked.Increment(ref _version), routes, _time.GetUtcNow());
        var yarpRoutes = routes.Select((r, i) => ToYarpRoute(r, i, _file.DefaultFilters)).ToList();
        var clusters = routes.Select(r => r.Upstream).DistinctBy(u => u.ClusterId).Select(ToCluster).ToList();
        _current = snapshot;
        _yarp.Update(yarpRoutes, clusters);
        LogPublished(_logger, snapshot.Version, routes.Count, clusters.Count, reason);
        Published?.Invoke();
    }

    /// <summary>Raised after each new snapshot (routes, conflicts or instances changed); handlers must only enqueue work.</summary>
    internal event Action? Published;

    /// <summary>The addresses <paramref name="upstream"/>'s requests go to now: its instances for lb://, else its address.</summary>
    internal IReadOnlyList<string> InstancesOf(Upstream upstream) =>
        ToCluster(upstream).Destinations!.Values.Select(d => d.Address).Order(StringComparer.Ordinal).ToList();

    /// <summary><c>discovery.locator.enabled</c>: <c>/{service-id}/**</c> → <c>lb://SERVICE-ID</c> with the prefix stripped.</summary>
    private IReadOnlyList<CompiledRoute> LocatorRoutes()
    {
        if (!_file.DiscoveryLocatorEnabled) return [];
        var apps = _registry.Services.Order(StringComparer.Ordinal).ToList();
        var key = string.Join(",", apps) + "|" + _file.DiscoveryLocatorLowerCase + "|" + _file.HttpClient;
        if (key == _locatorApps) return _locator;
        var defs = apps.Select(app =>
        {
            var id = _file.DiscoveryLocatorLowerCase ? app.ToLowerInvariant() : app;
            return new RouteDefinition
            {
                Id = "ReactiveCompositeDiscoveryClient_" + app,
                Uri = "lb://" + app,
                Order = int.MaxValue,
                Source = RouteSources.Discovery,
                Predicates = [ComponentDefinition.ParseShortcut($"Path=/{id}/**")],
                Filters = [ComponentDefinition.ParseShortcut($"RewritePath=/{id}/?(?<remaining>.*), /${{remaining}}")],
            };
        }).ToList();
        _locator = [.. _compiler.CompileAll(defs, _file.DefaultFilters, _file.HttpClient)];
        _locatorApps = key;
        return _locator;
    }

    private static RouteConfig ToYarpRoute(CompiledRoute route, int position, IReadOnlyList<ComponentDefinition> defaults)
    {
        var preserveHost = defaults.Concat(route.Definition.Filters).Any(f => string.Equals(f.Name, "PreserveHostHeader", StringComparison.OrdinalIgnoreCase));
        return new RouteConfig
        {
            RouteId = route.Id,
            ClusterId = route.Upstream.ClusterId,
            // Every gateway route matches every path in ASP.NET routing; the matcher policy applies the predicates
            // in this order, so the first matching route wins as in Spring. Orders start at 1 to let the admin
            // and health endpoints (order 0) win.
            Order = position + 1,
            Match = new RouteMatch { Path = "/{**gateway-path}" },
            Metadata = new Dictionary<string, string> { [GatewayRouteMarker] = "true" },
            Transforms = preserveHost ? [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }] : null,
        };
    }

    internal const string GatewayRouteMarker = "platform.gateway";

    private ClusterConfig ToCluster(Upstream upstream)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        if (upstream.IsLoadBalanced && ServiceDestinations(upstream) is { } endpoints)
        {
            foreach (var (id, address) in endpoints) destinations[id] = new DestinationConfig { Address = address };
        }
        else if (upstream.IsLoadBalanced)
        {
            foreach (var i in _registry.GetInstances(upstream.ServiceName).Where(i => string.Equals(i.Status, "UP", StringComparison.OrdinalIgnoreCase) && upstream.Admits(i)))
            {
                destinations[i.InstanceId] = new DestinationConfig
                {
                    Address = InstanceAddress.Of(i),
                    Metadata = i.Metadata.TryGetValue("weight", out var w) ? new Dictionary<string, string> { ["weight"] = w } : null,
                };
            }
        }
        else
        {
            destinations["static"] = new DestinationConfig { Address = upstream.Target };
        }
        return new ClusterConfig
        {
            ClusterId = upstream.ClusterId,
            LoadBalancingPolicy = upstream.LoadBalancingPolicy,
            Destinations = destinations,
            HealthCheck = upstream.IsLoadBalanced ? new HealthCheckConfig
            {
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = _options.PassiveHealth.ReactivationPeriod },
            } : null,
            HttpRequest = upstream.HttpVersion switch
            {
                "2" => new ForwarderRequestConfig { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
                "1.1" => new ForwarderRequestConfig { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
                _ => null,
            },
            Metadata = new Dictionary<string, string>
            {
                [ConnectTimeoutMetadata] = ((long)upstream.ConnectTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    internal const string ConnectTimeoutMetadata = "connect-timeout-ms";

    /// <summary>Logs each conflict once when it appears and once when it is gone, not on every republish.</summary>
    private void ReportConflicts(IReadOnlyList<RouteConflict> conflicts)
    {
        var before = _conflicts.ToDictionary(c => c.RouteId, StringComparer.Ordinal);
        foreach (var c in conflicts.Where(c => !before.Remove(c.RouteId)))
            LogNotServed(_logger, c.RouteId, c.Reason);
        foreach (var gone in before.Keys) LogConflictGone(_logger, gone);
        Volatile.Write(ref _conflicts, conflicts);
    }

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "Route {Id} not served: {Reason}")]
    private static partial void LogNotServed(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Route {Id} no longer in conflict")]
    private static partial void LogConflictGone(ILogger logger, string id);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "gateway snapshot {Version}: {Routes} routes, {Clusters} clusters ({Reason})")]
    private static partial void LogPublished(ILogger logger, long version, int routes, int clusters, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "route change rejected, previous snapshot kept: {Reason}")]
    internal static partial void LogRejected(ILogger logger, string reason);
}
