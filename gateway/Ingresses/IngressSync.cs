using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.ApiServer.Client.Queue;
using Platform.Contracts.Resources;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Ingresses;

/// <summary>
/// The gateway as the ingress controller of its IngressClasses (<c>platform</c>): each Ingress of such a class (or of
/// none, when a class of this controller is the default) becomes gateway routes beside Route resources in the one
/// snapshot (<see cref="IngressRoutes"/>). What it cannot serve, a claim another namespace holds, or rules that do
/// not compile are Warning events on the Ingress; a served Ingress gets the gateway's address in
/// <c>status.loadBalancer</c>. Its <c>spec.tls</c> Secrets become the HTTPS listener's certificates
/// (<see cref="IngressCertificates"/>); a Secret changing syncs the Ingresses naming it again. Keys go through the
/// client kit's work queue, so a failed status write is retried.
/// </summary>
internal sealed partial class IngressSync : BackgroundService
{
    private readonly Informer<Ingress> _ingresses;
    private readonly Informer<IngressClass> _classes;
    private readonly Informer<Secret> _secrets;
    private readonly IngressCertificates _certificates;
    private readonly TimeProvider _time;
    private readonly GatewayRuntime _runtime;
    private readonly ServiceEndpoints? _endpoints;
    private readonly RegistryReadiness _registry;
    private readonly ApiClient _api;
    private readonly EventRecorder _events;
    private readonly IngressOptions _options;
    private readonly ILogger<IngressSync> _logger;
    private readonly WorkQueue _queue;
    /// <summary>What each Ingress was last turned into, so a status write coming back is not applied (and reported) again.</summary>
    private readonly Dictionary<string, string> _applied = new(StringComparer.Ordinal);

    public IngressSync(SharedInformerFactory informers, InformerSource source, GatewayRuntime runtime, ServiceEndpoints? endpoints,
        RegistryReadiness registry, ApiClient api, EventRecorder events, IngressOptions options, IngressCertificates certificates, TimeProvider time,
        ILogger<IngressSync> logger)
    {
        _certificates = certificates;
        _time = time;
        _runtime = runtime;
        _endpoints = endpoints;
        _registry = registry;
        _api = api;
        _events = events;
        _options = options;
        _logger = logger;
        _queue = new WorkQueue(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        _ingresses = informers.For<Ingress>(ResourceKinds.Ingress, o => o.Source = source);
        _classes = informers.For<IngressClass>(ResourceKinds.IngressClass, o => o.Source = source);
        _secrets = GatewaySecrets.For(informers, source);
        // A Service (or its ports) coming or going changes which backends of its namespace's Ingresses exist.
        endpoints?.OnServiceChange(ns => { foreach (var ing in _ingresses.List(ns)) _queue.Add(ObjectKeys.KeyOf(ing)); });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ingresses.OnChange((old, now) => _queue.Add(ObjectKeys.KeyOf((now ?? old)!)));
        // A class changing hands (or becoming the default) changes which Ingresses are this gateway's.
        _classes.OnChange((_, _) => { foreach (var ing in _ingresses.List()) _queue.Add(ObjectKeys.KeyOf(ing)); });
        // A certificate renewed (or its Secret created late) reaches the listener through the Ingresses that name it.
        _secrets.OnChange((old, now) =>
        {
            var secret = (now ?? old)!;
            foreach (var ing in _ingresses.List(secret.Metadata.Namespace ?? SystemNamespaces.Default))
                if (ing.Spec.Tls?.Any(t => t.SecretName == secret.Metadata.Name) == true) _queue.Add(ObjectKeys.KeyOf(ing));
        });
        await Task.WhenAll(_ingresses.WaitForSyncAsync(stoppingToken), _classes.WaitForSyncAsync(stoppingToken), _secrets.WaitForSyncAsync(stoppingToken),
            _endpoints?.WaitForSyncAsync(stoppingToken) ?? Task.CompletedTask);
        foreach (var ing in _ingresses.List()) _queue.Add(ObjectKeys.KeyOf(ing));
        await _queue.RunAsync(SyncAsync, static ex => ex is HttpRequestException or ApiException or TimeoutException or TaskCanceledException,
            (key, ex) => LogRetry(_logger, key, ex.Message), stoppingToken);
    }

    private async Task SyncAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var group = IngressRoutes.GroupOf(ns ?? SystemNamespaces.Default, name);
        var ingress = _ingresses.Get(key);
        if (ingress is null || !IsServedHere(ingress))
        {
            _certificates.Remove(key);
            if (_applied.Remove(key)) _runtime.ReplaceGroup(RouteSources.Ingress, group, []);
            return;
        }
        var (routes, problems) = IngressRoutes.For(ingress);
        var missing = routes.Select(r => _runtime.BackendProblem(r, _registry.IsLoaded)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var tls = IngressTlsSecrets.Load(ingress, _secrets, _time.GetUtcNow());
        _certificates.Set(key, ingress.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue, tls.Entries);
        var fingerprint = Fingerprint(routes, [.. problems, .. missing, .. tls.Problems]) + "\n" + tls.Fingerprint;
        if (_applied.GetValueOrDefault(key) == fingerprint)
        {
            await WriteStatusAsync(ingress, ct);
            return;
        }
        foreach (var problem in problems)
            _events.Record(ingress, "Warning", "Unsupported", problem);
        foreach (var problem in missing)
            _events.Record(ingress, "Warning", "BackendNotFound", problem);
        foreach (var problem in tls.Problems)
            _events.Record(ingress, "Warning", "TLSSecret", problem);
        try
        {
            _runtime.ReplaceGroup(RouteSources.Ingress, group, routes);
        }
        catch (RouteDefinitionException ex)
        {
            _events.Record(ingress, "Warning", "Rejected", $"not served, the previous rules are kept: {ex.Message}");
            LogRejected(_logger, key, ex.Message);
            _applied[key] = fingerprint;
            return;
        }
        _applied[key] = fingerprint;
        foreach (var conflict in _runtime.ConflictsOf(group))
            _events.Record(ingress, "Warning", "Conflict", conflict.Reason);
        if (routes.Count > 0)
            _events.Record(ingress, "Normal", "Sync", $"Scheduled for sync: {routes.Count} route(s) served by the gateway");
        await WriteStatusAsync(ingress, ct);
    }

    private static string Fingerprint(List<RouteDefinition> routes, List<string> problems) => string.Join("\n",
        routes.Select(r => $"{r.Id} {r.Order} {r.Uri} {r.BackendPort} {r.CreatedAt:O} {string.Join(";", r.Predicates.Select(p => $"{p.Name}={string.Join(",", p.Args.Values)}"))}")
            .Concat(problems));

    /// <summary>Its class is one of this controller's, or it names none and a class of this controller is the default.</summary>
    private bool IsServedHere(Ingress ingress)
    {
        var className = ingress.Spec.IngressClassName ?? ingress.Metadata.Annotations?.GetValueOrDefault("kubernetes.io/ingress.class");
        if (className is { Length: > 0 })
            return _classes.Get(null, className)?.Spec.Controller == _options.Controller;
        return _classes.List().Any(c => c.Spec.Controller == _options.Controller
            && c.Metadata.Annotations?.GetValueOrDefault(IngressClass.DefaultClassAnnotation) == "true");
    }

    private async Task WriteStatusAsync(Ingress ingress, CancellationToken ct)
    {
        var address = _options.StatusAddress;
        var current = ingress.Status?.LoadBalancer?.Ingress;
        if (current is [var only] && (only.Ip == address || only.Hostname == address)) return;
        var entry = IPAddress.TryParse(address, out _) ? new JsonObject { ["ip"] = address } : new JsonObject { ["hostname"] = address };
        var patch = new JsonObject { ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(entry) } } };
        await _api.MergePatchAsync(ResourceKinds.Ingress.ObjectPath(ingress.Metadata.Namespace, ingress.Metadata.Name!) + "/status", patch, ct);
    }

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9040, Level = LogLevel.Warning, Message = "Ingress {Key} not served, previous rules kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 9041, Level = LogLevel.Information, Message = "Ingress {Key} will be synced again: {Reason}")]
    private static partial void LogRetry(ILogger logger, string key, string reason);
}
