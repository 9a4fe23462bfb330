using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ApiServer.Client.Queue;
using Platform.Contracts.Resources;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;
using Platform.Gateway.Routing;
using Route = Platform.Contracts.Resources.Route;

namespace Platform.Gateway.Status;

/// <summary>
/// Writes each Route's <c>status</c> (<see cref="RouteConditions"/>) through the status subresource, as a controller:
/// Route changes, refusals and every new snapshot (a registry or EndpointSlice change moves instances) only enqueue
/// keys; a key's status is computed from the informer and the runtime and written only when it differs, and a failed
/// write is retried with the work queue's per-key back-off.
/// </summary>
internal sealed partial class RouteStatusWriter : BackgroundService
{
    private readonly RouteResourceSync _routes;
    private readonly GatewayRuntime _runtime;
    private readonly RegistryReadiness _registry;
    private readonly ApiClient _api;
    private readonly TimeProvider _time;
    private readonly ILogger<RouteStatusWriter> _logger;
    private readonly WorkQueue _queue;

    public RouteStatusWriter(RouteResourceSync routes, GatewayRuntime runtime, RegistryReadiness registry, ApiClient api, TimeProvider time,
        ILogger<RouteStatusWriter> logger)
    {
        _routes = routes;
        _runtime = runtime;
        _registry = registry;
        _api = api;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var informer = _routes.Informer;
        informer.OnChange((old, now) => _queue.Add(ObjectKeys.KeyOf((now ?? old)!)));
        _routes.Refused += _queue.Add;
        // Raised under the runtime's lock: only a marker is queued here, the Routes are listed by the worker.
        _runtime.Published += () => _queue.Add(AllRoutes);
        await informer.WaitForSyncAsync(stoppingToken);
        foreach (var r in informer.List()) _queue.Add(ObjectKeys.KeyOf(r));
        await _queue.RunAsync(SyncAsync, static ex => ex is HttpRequestException or ApiException or TimeoutException or TaskCanceledException,
            (key, ex) =>
            {
                // A conflict means the informer had not yet seen the last status written: the retry computes it again from there.
                if (ex is ApiException { IsConflict: true }) LogStale(_logger, key);
                else LogRetry(_logger, key, ex.Message);
            }, stoppingToken);
    }

    /// <summary>The queue key that stands for every Route (a new snapshot may change any of them).</summary>
    private const string AllRoutes = "*";

    private async Task SyncAsync(string key, CancellationToken ct)
    {
        if (key == AllRoutes)
        {
            foreach (var each in _routes.Informer.List()) _queue.Add(ObjectKeys.KeyOf(each));
            return;
        }
        // A Route whose every version was refused is not in the informer (it keeps the last version it took): its status
        // says why it is not served all the same, read from the apiserver.
        var route = _routes.Informer.Get(key);
        if (route is null && _routes.RefusalOf(key) is not null)
        {
            var (ns, name) = ObjectKeys.Split(key);
            route = await _api.GetAsync<Route>(ResourceKinds.Route.ObjectPath(ns, name), ct);
            if (route is null) _routes.ForgetRefusal(key);
        }
        if (route is null) return;
        var id = RouteResourceSync.IdOf(route);
        var refusal = _routes.RefusalOf(key) is { } r && r.Generation >= (route.Metadata.Generation ?? 0) ? r : null;
        // The status is written on top of the newest version seen: a refused one is newer than the version the informer keeps.
        if (refusal is not null && ObjectKeys.VersionOf(refusal.Version) > ObjectKeys.VersionOf(route)) route = refusal.Version;
        var served = _runtime.Current.Find(id);
        var facts = new RouteConditions.Facts(
            refusal?.Generation ?? route.Metadata.Generation ?? 0,
            refusal?.Reason,
            _runtime.Conflicts.FirstOrDefault(c => c.RouteId == id),
            served,
            served is null ? [] : _runtime.InstancesOf(served.Upstream),
            served is null ? null : _runtime.BackendProblem(served.Definition, _registry.IsLoaded));
        // Whole seconds, as Kubernetes stores condition times, so a status read back compares equal and is not written again.
        var now = _time.GetUtcNow();
        var status = RouteConditions.Compute(facts, route.Status, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        var node = JsonSerializer.SerializeToNode(status, ResourceJson.Options)!;
        if (route.Status is { } held && JsonNode.DeepEquals(node, JsonSerializer.SerializeToNode(held, ResourceJson.Options))) return;
        await _api.PatchStatusAsync(ResourceKinds.Route, route, node, ct);
    }

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9020, Level = LogLevel.Warning, Message = "Route {Key}: status not written, retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 9021, Level = LogLevel.Debug, Message = "Route {Key}: status computed from an older version, computing again")]
    private static partial void LogStale(ILogger logger, string key);
}
