using Platform.ControllerManager.Informers;
using Platform.ApiServer.Client;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;

namespace Platform.ControllerManager.Controllers.Endpoints;

/// <summary>
/// For each Service, the ready pods its selector matches: their count goes to <c>status.readyEndpoints</c> and each
/// ready pod's target port is registered in discovery under the Service's namespaced application <c>NAME.NAMESPACE</c>
/// (<see cref="ServiceApplication"/>; removed as soon as the pod stops being ready or goes away), so <c>lb://name</c>
/// in a Route of that namespace reaches only its ready pods, and a Service of the same name in another namespace is
/// another application. The Service's <see cref="RouteGrants.AllowRoutesFromAnnotation"/> goes with each instance as
/// metadata; a change of it registers the instances again. Registrations are renewed every 30 s like any Eureka
/// client's lease; one the registry forgot is registered again.
/// </summary>
internal sealed partial class EndpointsController : Controller
{
    private readonly EurekaRegistrar? _eureka;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, EurekaInstance>> _registered = [];
    // One registry call at a time: a renewal that found its instance forgotten must not register it again after a
    // reconcile cancelled it in between (the instance would stay UP in discovery with no pod behind it).
    private readonly SemaphoreSlim _registryCalls = new(1, 1);

    public EndpointsController(ClusterInformers informers, ApiClient api, EurekaRegistrar? eureka, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<EndpointsController> logger)
        : base(informers, api, options, time, logger)
    {
        _eureka = eureka;
        _logger = logger;
        informers.Services.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf(now ?? old!)));
        informers.Pods.OnChange((old, now) =>
        {
            var pod = now ?? old!;
            foreach (var svc in Informers.Services.List(pod.Metadata.Namespace!))
                if (Selects(svc, old) || Selects(svc, now)) Queue.Add(ObjectKeys.KeyOf(svc));
        });
    }

    protected override string Name => "endpoints";

    protected override IEnumerable<string> AllKeys() => Informers.Services.List().Select(ObjectKeys.KeyOf);

    private static bool Selects(Service svc, Pod? pod) => PodFacts.SelectedBy(svc, pod);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(base.ExecuteAsync(stoppingToken), RenewLoopAsync(stoppingToken));
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var svc = Informers.Services.Get(key);
        var desired = svc is null ? [] : ReadyInstances(svc).ToDictionary(i => i.InstanceId);
        Dictionary<string, EurekaInstance> current;
        lock (_lock) current = _registered.TryGetValue(key, out var c) ? new(c) : [];
        if (_eureka is not null)
        {
            foreach (var gone in current.Values.Where(i => !desired.ContainsKey(i.InstanceId)))
            {
                await OneAtATimeAsync(async () =>
                {
                    await _eureka.CancelAsync(gone, ct);
                    Forget(key, gone);
                }, ct);
                Deregistered(gone.App, gone.InstanceId);
            }
            // Re-registering an instance id replaces it, metadata included (a changed grant).
            foreach (var added in desired.Values.Where(i => current.GetValueOrDefault(i.InstanceId) != i))
            {
                await OneAtATimeAsync(async () =>
                {
                    await _eureka.RegisterAsync(added, ct);
                    Remember(key, added);
                }, ct);
                Registered(added.App, added.InstanceId);
            }
        }
        if (svc is not null && svc.Status?.ReadyEndpoints != desired.Count)
            await Api.MergePatchAsync(ResourceKinds.Service.ObjectPath(svc.Metadata.Namespace, svc.Metadata.Name!) + "/status",
                new JsonObject { ["status"] = new JsonObject { ["readyEndpoints"] = desired.Count } }, ct);
    }

    private IEnumerable<EurekaInstance> ReadyInstances(Service svc)
    {
        var ns = svc.Metadata.Namespace!;
        var application = new ServiceApplication(svc.Metadata.Name!, ns);
        var grant = svc.Metadata.Annotations?.GetValueOrDefault(RouteGrants.AllowRoutesFromAnnotation);
        foreach (var pod in Informers.Pods.List(ns).Where(p => Selects(svc, p) && PodFacts.IsActive(p) && PodFacts.IsReady(p)))
        {
            if (TargetPort(svc, pod) is not { } port) continue;
            var address = pod.Status?.PodIP ?? pod.Status?.HostIP ?? "127.0.0.1";
            yield return new EurekaInstance(application, $"{pod.Metadata.Name}.{ns}:{port}", address, port, pod.Metadata.Name!, grant);
        }
    }

    /// <summary>
    /// The Service's first port on the pod: on the host network the host port the agent allocated for it (by name, by
    /// container port number, else PORT); on the pod network (no allocated ports) the container port itself at the podIP.
    /// </summary>
    private static int? TargetPort(Service svc, Pod pod)
    {
        var allocated = pod.Status?.AllocatedPorts;
        var target = svc.Spec.Ports?.FirstOrDefault() is { } sp ? sp.TargetPort ?? new IntOrString(sp.Port) : (IntOrString?)null;
        if (allocated is not { Count: > 0 }) return pod.Spec.HostNetwork == true ? null : ContainerPort(pod, target);
        if (target?.StringValue is { } name) return allocated.TryGetValue(name, out var byName) ? byName : null;
        if (target?.IntValue is { } number)
        {
            var declared = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Port == number);
            var portKey = declared is null ? number.ToString(CultureInfo.InvariantCulture) : declared.Name ?? number.ToString(CultureInfo.InvariantCulture);
            if (allocated.TryGetValue(portKey, out var byNumber)) return byNumber;
        }
        return allocated.Values.Min();
    }

    private static int? ContainerPort(Pod pod, IntOrString? target)
    {
        var declared = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
        if (target?.StringValue is { } name) return declared.FirstOrDefault(p => p.Name == name)?.Port;
        return target?.IntValue ?? declared.FirstOrDefault()?.Port;
    }

    private void Remember(string key, EurekaInstance i)
    {
        lock (_lock)
        {
            if (!_registered.TryGetValue(key, out var set)) _registered[key] = set = [];
            set[i.InstanceId] = i;
        }
    }

    public override void Dispose()
    {
        _registryCalls.Dispose();
        base.Dispose();
    }

    private async Task OneAtATimeAsync(Func<Task> registryCall, CancellationToken ct)
    {
        await _registryCalls.WaitAsync(ct);
        try
        {
            await registryCall();
        }
        finally
        {
            _registryCalls.Release();
        }
    }

    private bool IsRegistered(string key, EurekaInstance i)
    {
        lock (_lock) return _registered.TryGetValue(key, out var set) && set.GetValueOrDefault(i.InstanceId) == i;
    }

    private void Forget(string key, EurekaInstance i)
    {
        lock (_lock)
            if (_registered.TryGetValue(key, out var set) && set.Remove(i.InstanceId) && set.Count == 0) _registered.Remove(key);
    }

    private async Task RenewLoopAsync(CancellationToken ct)
    {
        if (_eureka is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), Time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            List<(string Key, EurekaInstance Instance)> all;
            lock (_lock) all = _registered.SelectMany(s => s.Value.Values.Select(i => (s.Key, i))).ToList();
            foreach (var (key, i) in all)
            {
                try
                {
                    await OneAtATimeAsync(async () =>
                    {
                        // Cancelled since the list was taken: renewing (or registering again) would bring it back.
                        if (IsRegistered(key, i) && !await _eureka.RenewAsync(i, ct)) await _eureka.RegisterAsync(i, ct);
                    }, ct);
                }
                catch (HttpRequestException ex)
                {
                    RenewFailed(i.InstanceId, ex.Message);
                }
            }
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "registered {Instance} in discovery as {App}")]
    private partial void Registered(string app, string instance);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "removed {Instance} of {App} from discovery")]
    private partial void Deregistered(string app, string instance);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "renewing {Instance} in discovery failed: {Error}")]
    private partial void RenewFailed(string instance, string error);
}
