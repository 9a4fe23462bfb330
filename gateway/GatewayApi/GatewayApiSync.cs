using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ApiServer.Client.Queue;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;
using Platform.Gateway.GatewayApi.Listeners;
using Platform.Gateway.Routing;
using GatewayObject = Platform.Contracts.Resources.GatewayApi.Gateway;
using RouteFilter = Platform.Contracts.Resources.RouteFilter;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// The gateway as a Gateway API implementation: GatewayClasses whose <c>controllerName</c> is
/// <see cref="GatewayApiOptions.ControllerName"/>, their Gateways, and the HTTPRoutes attached to them
/// (<see cref="RouteAttachment"/>) become routes of the one snapshot beside Route resources and Ingresses
/// (<see cref="HttpRouteRoutes"/>), their Services resolved through <see cref="ServiceEndpoints"/>. Status goes through
/// the status subresources (<see cref="GatewayApiStatus"/>). Everything is followed through the client kit's informers
/// and its work queue: keys are <c>route:ns/name</c>, <c>gateway:ns/name</c> and <c>class:name</c>; a change of a
/// Gateway, class, ReferenceGrant, Namespace or Service resyncs everything, since any route may depend on it; a
/// RouteFilter's resyncs the routes of its namespace that name it (<see cref="RouteFilterRefs"/>). Listeners' ports are
/// bound through <see cref="GatewayListenerPorts"/>, and each HTTPRoute answers only on the ports of the listeners it attached
/// through (conflicted listeners left out, <see cref="ListenerConflicts"/>).
/// </summary>
internal sealed partial class GatewayApiSync : BackgroundService
{
    private readonly Informer<GatewayClass> _classes;
    private readonly Informer<GatewayObject> _gateways;
    private readonly Informer<HttpRoute> _routes;
    private readonly Informer<ReferenceGrant> _grants;
    private readonly Informer<RouteFilter> _routeFilters;
    private readonly Informer<Namespace> _namespaces;
    private readonly Informer<Secret> _secrets;
    private readonly Ingresses.IngressCertificates _certificates;
    private readonly GatewayListenerPorts _ports;
    private readonly TimeProvider _time;
    private readonly GatewayRuntime _runtime;
    private readonly ServiceEndpoints? _endpoints;
    private readonly GatewayApiStatus _status;
    private readonly GatewayApiOptions _options;
    private readonly ILogger<GatewayApiSync> _logger;
    private readonly WorkQueue _queue;
    private readonly Dictionary<string, string> _applied = new(StringComparer.Ordinal);

    public GatewayApiSync(SharedInformerFactory informers, InformerSource source, GatewayRuntime runtime, ServiceEndpoints? endpoints,
        ApiClient api, GatewayApiOptions options, Ingresses.IngressCertificates certificates, GatewayListenerPorts ports, TimeProvider time,
        ILogger<GatewayApiSync> logger)
    {
        _certificates = certificates;
        _ports = ports;
        _time = time;
        _runtime = runtime;
        _endpoints = endpoints;
        _options = options;
        _logger = logger;
        _status = new GatewayApiStatus(api, options, time);
        _queue = new WorkQueue(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        _classes = informers.For<GatewayClass>(ResourceKinds.GatewayClass, o => o.Source = source);
        _gateways = informers.For<GatewayObject>(ResourceKinds.Gateway, o => o.Source = source);
        _routes = informers.For<HttpRoute>(ResourceKinds.HttpRoute, o => o.Source = source);
        _grants = informers.For<ReferenceGrant>(ResourceKinds.ReferenceGrant, o => o.Source = source);
        _routeFilters = informers.For<RouteFilter>(ResourceKinds.RouteFilter, o => o.Source = source);
        _namespaces = informers.For<Namespace>(ResourceKinds.Namespace, o => o.Source = source);
        _secrets = GatewaySecrets.For(informers, source);
        endpoints?.OnServiceChange(_ => EnqueueAll());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _routes.OnChange((old, now) =>
        {
            var route = (now ?? old)!;
            _queue.Add("route:" + ObjectKeys.KeyOf(route));
            // Its Gateways count it (or stop counting it) in attachedRoutes.
            foreach (var p in (old?.Spec.ParentRefs ?? []).Concat(now?.Spec.ParentRefs ?? []).Where(RouteAttachment.IsGatewayRef))
                _queue.Add("gateway:" + ObjectKeys.KeyOf(p.Namespace ?? route.Metadata.Namespace, p.Name ?? ""));
        });
        _classes.OnChange((_, _) => EnqueueAll());
        _gateways.OnChange((_, _) => EnqueueAll());
        _grants.OnChange((_, _) => EnqueueAll());
        _namespaces.OnChange((_, _) => EnqueueAll());
        _routeFilters.OnChange((old, now) =>
        {
            var rf = (now ?? old)!;
            foreach (var r in _routes.List(rf.Metadata.Namespace ?? SystemNamespaces.Default).Where(r => RouteFilterRefs.Names(r, rf.Metadata.Name!)))
                _queue.Add("route:" + ObjectKeys.KeyOf(r));
        });
        // A listener's certificate renewed (or its Secret created late) is served from the next connection.
        _secrets.OnChange((old, now) =>
        {
            if (old?.Type != "kubernetes.io/tls" && now?.Type != "kubernetes.io/tls") return;
            foreach (var g in _gateways.List()) _queue.Add("gateway:" + ObjectKeys.KeyOf(g));
        });
        await Task.WhenAll(_secrets.WaitForSyncAsync(stoppingToken), _classes.WaitForSyncAsync(stoppingToken), _gateways.WaitForSyncAsync(stoppingToken), _routes.WaitForSyncAsync(stoppingToken),
            _grants.WaitForSyncAsync(stoppingToken), _namespaces.WaitForSyncAsync(stoppingToken), _routeFilters.WaitForSyncAsync(stoppingToken), _endpoints?.WaitForSyncAsync(stoppingToken) ?? Task.CompletedTask);
        EnqueueAll();
        await _queue.RunAsync(SyncAsync, static ex => ex is HttpRequestException or ApiException or TimeoutException or TaskCanceledException,
            (key, ex) => LogRetry(_logger, key, ex.Message), stoppingToken);
    }

    private void EnqueueAll()
    {
        foreach (var c in _classes.List()) _queue.Add("class:" + c.Metadata.Name);
        foreach (var g in _gateways.List()) _queue.Add("gateway:" + ObjectKeys.KeyOf(g));
        foreach (var r in _routes.List()) _queue.Add("route:" + ObjectKeys.KeyOf(r));
    }

    private bool IsOurs(GatewayClass? c) => c?.Spec.ControllerName == _options.ControllerName;

    /// <summary>The Gateway at (namespace, name) when its class is this controller's.</summary>
    private GatewayObject? OurGateway(string ns, string name) =>
        _gateways.Get(ns, name) is { } gw && IsOurs(_classes.Get(null, gw.Spec.GatewayClassName ?? "")) ? gw : null;

    private RouteAttachment.Parent Attach(HttpRoute route, ParentReference p) =>
        RouteAttachment.Attach(route, p, OurGateway, ns => _namespaces.Get(null, ns)?.Metadata.Labels);

    private Task SyncAsync(string key, CancellationToken ct)
    {
        var colon = key.IndexOf(':');
        var (kind, rest) = (key[..colon], key[(colon + 1)..]);
        return kind switch
        {
            "class" => _classes.Get(rest) is { } c && IsOurs(c) ? _status.WriteClassAsync(c, ct) : Task.CompletedTask,
            "gateway" => SyncGatewayAsync(rest, ct),
            _ => SyncRouteAsync(rest, ct),
        };
    }

    /// <summary>
    /// Binds the listeners' ports and serves the HTTPS listeners' certificates of one of this controller's Gateways, and writes
    /// its status: conflicted listeners and those whose port cannot be served are not accepted.
    /// </summary>
    private async Task SyncGatewayAsync(string key, CancellationToken ct)
    {
        var created = DateTimeOffset.MinValue;
        if (_gateways.Get(key) is not { } gw || OurGateway(gw.Metadata.Namespace ?? "", gw.Metadata.Name!) is null)
        {
            _certificates.Remove("gateway:" + key);
            EnqueueGateways(_ports.Set(key, created, []).Changed);
            return;
        }
        created = gw.Metadata.CreationTimestamp ?? created;
        var tls = ListenerCertificates.Load(gw, _secrets, n => _grants.List(n), _time.GetUtcNow());
        _certificates.Set("gateway:" + key, created, tls.Entries);
        var rejected = ListenerConflicts.Of(gw, _ports.TargetOf);
        GatewayListenerPorts.Claim[] claims = [.. (gw.Spec.Listeners ?? [])
            .Where(l => l.Protocol is "HTTP" or "HTTPS" && l.Port is not null && !rejected.ContainsKey(l.Name ?? ""))
            .Select(l => new GatewayListenerPorts.Claim(l.Name ?? "", l.Port!.Value, l.Protocol == "HTTPS"))];
        var ports = _ports.Set(key, created, claims);
        EnqueueGateways(ports.Changed);
        // Programmed only once Kestrel listens: a port it failed to bind is set aside, and the claims set again report it.
        if (await _ports.ConfirmBindsAsync(BindTimeout, PortRetry - TimeSpan.FromSeconds(1), ct))
        {
            ports = _ports.Set(key, created, claims);
            EnqueueGateways(ports.Changed);
        }
        foreach (var (listener, why) in ports.Unavailable) rejected[listener] = (GatewayApiNames.PortUnavailable, why);
        // Another socket's port may be freed: look again later.
        if (ports.Held) _queue.AddAfter("gateway:" + key, PortRetry);
        await _status.WriteGatewayAsync(gw, AttachedRoutes(gw), tls.Refused, rejected, ct);
    }

    private static readonly TimeSpan PortRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(3);

    private void EnqueueGateways(IEnumerable<string> keys)
    {
        foreach (var k in keys) _queue.Add("gateway:" + k);
    }

    /// <summary>Per listener of <paramref name="gw"/>, how many HTTPRoutes it accepted.</summary>
    private Dictionary<string, int> AttachedRoutes(GatewayObject gw)
    {
        var counts = (gw.Spec.Listeners ?? []).ToDictionary(l => l.Name ?? "", _ => 0, StringComparer.Ordinal);
        foreach (var route in _routes.List())
            foreach (var p in (route.Spec.ParentRefs ?? []).Where(RouteAttachment.IsGatewayRef))
                if ((p.Namespace ?? route.Metadata.Namespace) == gw.Metadata.Namespace && p.Name == gw.Metadata.Name)
                    foreach (var l in Attach(route, p).Listeners) counts[l.Name ?? ""] = counts.GetValueOrDefault(l.Name ?? "") + 1;
        return counts;
    }

    private async Task SyncRouteAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var group = HttpRouteRoutes.GroupOf(ns ?? SystemNamespaces.Default, name);
        var route = _routes.Get(key);
        // Parents of other controllers' classes are left to them: no status, no routes.
        var parents = route is null ? [] : (route.Spec.ParentRefs ?? []).Where(RouteAttachment.IsGatewayRef)
            .Where(p => _gateways.Get(p.Namespace ?? ns, p.Name ?? "") is not { } gw || IsOurs(_classes.Get(null, gw.Spec.GatewayClassName ?? "")))
            .Select(p => Attach(route, p)).ToList();
        var accepted = parents.Where(p => p.Reason is null).ToList();
        var listeners = ServedListeners(accepted);
        if (route is null || listeners.Count == 0)
        {
            if (_applied.Remove(key)) _runtime.ReplaceGroup(RouteSources.GatewayApi, group, []);
            if (route is not null && parents.Count > 0) await _status.WriteRouteAsync(route, parents, [], [], [], ct);
            return;
        }
        var refusals = new List<(string Reason, string Message)>();
        var unreadable = new List<string>();
        var hostnames = RouteAttachment.Hostnames(route, accepted.SelectMany(p => p.Listeners));
        var (routes, problems, invalid) = HttpRouteRoutes.For(route, hostnames, listeners, b =>
        {
            if (RouteAttachment.Refusal(route, b.Group, b.Kind, b.Name, b.Namespace, ServiceExists, n => _grants.List(n)) is { } refused)
            {
                refusals.Add(refused);
                return null;
            }
            var target = b.Namespace is { } bns && bns != route.Metadata.Namespace ? $"{b.Name}.{bns}" : b.Name!;
            return new HttpRouteRoutes.Backend("lb://" + target, b.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Weight ?? 1);
        }, m =>
        {
            if (RouteAttachment.Refusal(route, m.Group, m.Kind, m.Name, m.Namespace, ServiceExists, n => _grants.List(n)) is not { } refused) return true;
            refusals.Add(refused);
            return false;
        }, (reference, where) =>
        {
            var outcome = RouteFilterRefs.Resolve(ns ?? SystemNamespaces.Default, reference, where, (n, rf) => _routeFilters.Get(n, rf));
            if (outcome.Filters is null && outcome.RefusedReason is { } reason) refusals.Add((reason, outcome.Message));
            else if (outcome.Filters is null) unreadable.Add(outcome.Message);
            return outcome.Filters;
        });
        invalid.AddRange(unreadable);
        var fingerprint = string.Join("\n", routes.Select(r => $"{r.Id} {r.Order} {r.Uri} {r.BackendPort} {string.Join(";", r.Predicates)} {string.Join(";", r.Filters)} {string.Join(";", r.Metadata)}")
            .Concat(problems).Concat(invalid));
        if (_applied.GetValueOrDefault(key) != fingerprint)
        {
            try
            {
                _runtime.ReplaceGroup(RouteSources.GatewayApi, group, routes);
            }
            catch (RouteDefinitionException ex)
            {
                problems.Add($"not served, the previous rules are kept: {ex.Message}");
                LogRejected(_logger, key, ex.Message);
            }
            _applied[key] = fingerprint;
        }
        await _status.WriteRouteAsync(route, parents, refusals, problems, invalid, ct);
    }

    /// <summary>The listeners (<c>HTTP/80</c>) the accepted parents attached the route to, but for conflicted ones, which serve nothing.</summary>
    private List<string> ServedListeners(List<RouteAttachment.Parent> accepted)
    {
        var conflicts = new Dictionary<GatewayObject, Dictionary<string, (string, string)>>(ReferenceEqualityComparer.Instance);
        return [.. accepted.SelectMany(p => p.Listeners.Where(l =>
                !(conflicts.TryGetValue(p.Gateway!, out var c) ? c : conflicts[p.Gateway!] = ListenerConflicts.Of(p.Gateway!, _ports.TargetOf)).ContainsKey(l.Name ?? "")))
            .Select(l => $"{l.Protocol}/{l.Port}").Distinct(StringComparer.Ordinal)];
    }

    private bool ServiceExists(string ns, string name) => _endpoints is null || _endpoints.Find(new ServiceApplication(name, ns)) is not null;

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9060, Level = LogLevel.Warning, Message = "HTTPRoute {Key} not served, previous rules kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 9061, Level = LogLevel.Information, Message = "Gateway API object {Key} will be synced again: {Reason}")]
    private static partial void LogRetry(ILogger logger, string key, string reason);
}
