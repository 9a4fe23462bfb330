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
            updated: (_, now) => Upsert(now),
            deleted: route => _runtime.Remove(IdOf(route), RouteSources.Resource));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string NamespaceOf(Route route) => route.Metadata.Namespace ?? SystemNamespaces.Default;

    private static string IdOf(Route route) => $"{NamespaceOf(route)}/{route.Metadata.Name}";

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
        if (problem is not null) LogRejected(_logger, ObjectKeys.KeyOf(route), problem);
        return problem;
    }

    private void Upsert(Route route)
    {
        try
        {
            _runtime.Upsert(Definition(route));
        }
        catch (RouteDefinitionException ex)
        {
            // Checked a moment ago; another source (a file reload) changed in between.
            LogRejected(_logger, ObjectKeys.KeyOf(route), ex.Message);
        }
    }

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Route {Key} rejected, previous version kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string key, string reason);
}
