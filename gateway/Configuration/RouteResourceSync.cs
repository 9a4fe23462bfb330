using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;
using Platform.Gateway.Routing;
using Route = Platform.Contracts.Resources.Route;

namespace Platform.Gateway.Configuration;

/// <summary>
/// Route resources (<c>gateway.platform.io/v1</c>, every namespace) as runtime routes. The kit's Route informer lists
/// them from the apiserver, follows <c>platform.routes</c> and hands each version over once; the handlers here upsert
/// or remove the route. A route the gateway cannot build is refused by the informer's check: logged, its event
/// dead-lettered, the previous version still serving; a later list tries it again. The route id is always
/// <c>namespace/name</c> (<c>spec.id</c> is not an identity: equal ids in two namespaces are two routes), the route
/// carries its namespace (its <c>lb://</c> names, API keys and claims are scoped by it) and its <c>order</c> is held
/// within <see cref="RouteSpec.MinOrder"/>..<see cref="RouteSpec.MaxOrder"/>, as the apiserver validates it, so a
/// Route stored before that check cannot sort before the gateway's own routes.
/// </summary>
internal sealed partial class RouteResourceSync : IHostedService
{
    private readonly GatewayRuntime _runtime;
    private readonly ILogger<RouteResourceSync> _logger;
    private readonly Informer<Route> _informer;

    /// <summary>Asks for the informer at construction, before any hosted service starts, so no event finds it missing.</summary>
    public RouteResourceSync(SharedInformerFactory informers, InformerSource source, GatewayRuntime runtime, ILogger<RouteResourceSync> logger)
    {
        _runtime = runtime;
        _logger = logger;
        _informer = informers.For<Route>(ResourceKinds.Route, o =>
        {
            o.Source = source;
            o.Validate = r => Check((Route)r);
        });
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _informer.AddEventHandler(
            added: Upsert,
            // A status write (the gateway's own, RouteStatusWriter) changes nothing the route is built from.
            updated: (old, now) => { if (!SameRoute(old, now)) Upsert(now); },
            deleted: route =>
            {
                _refused.TryRemove(ObjectKeys.KeyOf(route), out _);
                _runtime.Remove(IdOf(route), RouteSources.Resource);
            });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string NamespaceOf(Route route) => route.Metadata.Namespace ?? SystemNamespaces.Default;

    internal static string IdOf(Route route) => $"{NamespaceOf(route)}/{route.Metadata.Name}";

    private static RouteDefinition Definition(Route route) => route.Spec is { } spec
        ? RouteSpecs.ToDefinition(IdOf(route), spec, RouteSources.Resource) with
        {
            Order = Math.Clamp(spec.Order, RouteSpec.MinOrder, RouteSpec.MaxOrder),
            Namespace = NamespaceOf(route),
            CreatedAt = route.Metadata.CreationTimestamp,
            AllowRoutesFrom = route.Metadata.Annotations?.GetValueOrDefault(RouteGrants.AllowRoutesFromAnnotation),
        }
        : throw RouteDefinitionException.For(IdOf(route), "route", "spec", "required");

    private string? Check(Route route)
    {
        string? problem;
        try
        {
            problem = _runtime.Check(Definition(route));
        }
        catch (RouteDefinitionException ex)
        {
            problem = ex.Message;
        }
        var key = ObjectKeys.KeyOf(route);
        if (problem is not null)
        {
            LogRejected(_logger, key, problem);
            Refuse(key, route, problem);
        }
        else _refused.TryRemove(key, out _);
        return problem;
    }

    /// <summary>Only the status changed (not a resync, which hands the same object over to be applied again).</summary>
    private static bool SameRoute(Route old, Route now) =>
        !ReferenceEquals(old, now) && old.Metadata.Generation is { } g && g == now.Metadata.Generation
        && old.Metadata.Annotations?.GetValueOrDefault(RouteGrants.AllowRoutesFromAnnotation) == now.Metadata.Annotations?.GetValueOrDefault(RouteGrants.AllowRoutesFromAnnotation);

    private void Refuse(string key, Route route, string reason)
    {
        _refused[key] = new Refusal(route.Metadata.Generation ?? 0, reason, route);
        Refused?.Invoke(key);
    }

    /// <summary>Raised with the Route's key when a version of it is refused; handlers must only enqueue work.</summary>
    internal event Action<string>? Refused;

    /// <summary>
    /// A version of a Route the gateway refused (the informer keeps the one before it); <paramref name="Version"/> is the
    /// newest refused object seen, status writes to it included, so its status is written on top of it.
    /// </summary>
    internal sealed record Refusal(long Generation, string Reason, Route Version);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Refusal> _refused = new(StringComparer.Ordinal);

    /// <summary>The Routes as the informer holds them (the last version the gateway took).</summary>
    internal Informer<Route> Informer => _informer;

    /// <summary>Why the newest version of <paramref name="key"/> was refused, or null when it was taken.</summary>
    internal Refusal? RefusalOf(string key) => _refused.GetValueOrDefault(key);

    /// <summary>Forgets the refusal of a Route that is gone (one the informer never held has no delete event).</summary>
    internal void ForgetRefusal(string key) => _refused.TryRemove(key, out _);

    private void Upsert(Route route)
    {
        var key = ObjectKeys.KeyOf(route);
        try
        {
            _runtime.Upsert(Definition(route));
            _refused.TryRemove(key, out _);
        }
        catch (RouteDefinitionException ex)
        {
            // Checked a moment ago; another source (a file reload) changed in between.
            LogRejected(_logger, key, ex.Message);
            Refuse(key, route, ex.Message);
        }
    }

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Route {Key} rejected, previous version kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string key, string reason);
}
