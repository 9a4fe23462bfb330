using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Discovery;

/// <summary>
/// Services and EndpointSlices of every namespace, followed through the client kit's informers (the informers are
/// the cache): a namespaced route's <c>lb://NAME</c> resolves to the ready endpoints of Service NAME's slices. Every
/// change republishes the gateway's YARP clusters at once (coalesced, outside the informers' locks, through the
/// same path registry changes take), so an endpoint turning ready or not ready moves traffic within a moment.
/// </summary>
internal sealed class ServiceEndpoints : BackgroundService
{
    private readonly Informer<Service> _services;
    private readonly Informer<EndpointSlice> _slices;
    private readonly GatewayRuntime _runtime;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ServiceEndpoints(SharedInformerFactory informers, InformerSource source, GatewayRuntime runtime)
    {
        _runtime = runtime;
        _services = informers.For<Service>(ResourceKinds.Service, o => o.Source = source);
        _slices = informers.For<EndpointSlice>(ResourceKinds.EndpointSlice, o => o.Source = source);
        _slices.EnsureIndexer(Indexers.ServiceName, Indexers.ByServiceName);
        // Handlers run under the informer's lock; the republish takes the runtime's, so it happens on this service's loop.
        _services.OnChange((_, _) => _changed.Writer.TryWrite(true));
        _slices.OnChange((_, _) => _changed.Writer.TryWrite(true));
        runtime.UseEndpoints(this);
    }

    /// <summary>Calls <paramref name="changed"/> with the namespace of every Service added, changed or deleted.</summary>
    public void OnServiceChange(Action<string> changed) =>
        _services.OnChange((old, now) => changed((now ?? old)!.Metadata.Namespace ?? SystemNamespaces.Default));

    /// <summary>Completes once the first lists of Services and EndpointSlices are in.</summary>
    public Task WaitForSyncAsync(CancellationToken ct) => Task.WhenAll(_services.WaitForSyncAsync(ct), _slices.WaitForSyncAsync(ct));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForSyncAsync(stoppingToken);
        _changed.Writer.TryWrite(true);
        await foreach (var _ in _changed.Reader.ReadAllAsync(stoppingToken))
            _runtime.EndpointsChanged();
    }

    /// <summary>The Service <paramref name="service"/> names, or null when there is none.</summary>
    public Service? Find(ServiceApplication service) => _services.Get(service.Namespace, service.Service);

    /// <summary>
    /// The ready endpoints of <paramref name="service"/> on <paramref name="port"/> as (destination id, address), or
    /// null when no such Service exists (the caller falls back to the registry). Empty when the port does not exist,
    /// when <paramref name="grantee"/>'s Routes are not allowed in, or when nothing is ready.
    /// </summary>
    public IReadOnlyList<(string Id, string Address)>? Resolve(ServiceApplication service, string? port, string? grantee)
    {
        if (Find(service) is not { } svc) return null;
        if (grantee is not null && !RouteGrants.Allows(svc.Metadata.Annotations?.GetValueOrDefault(RouteGrants.AllowRoutesFromAnnotation), grantee))
            return [];
        if (PortOf(svc, port) is not { } servicePort) return [];
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slice in _slices.ByIndex(Indexers.ServiceName, ObjectKeys.KeyOf(service.Namespace, service.Service)).OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (servicePort.Name ?? "")) is not { Port: int number }) continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // Kubernetes: ready unless it says otherwise, and consumers use the first address.
                if (endpoint.Conditions?.Ready == false || endpoint.Conditions?.Terminating == true) continue;
                if (endpoint.Addresses?.FirstOrDefault() is not { Length: > 0 } address) continue;
                var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
                var hostPort = $"{host}:{number.ToString(CultureInfo.InvariantCulture)}";
                found.TryAdd(hostPort, "http://" + hostPort);
            }
        }
        return [.. found.Select(kv => (kv.Key, kv.Value))];
    }

    /// <summary>
    /// The Service port <paramref name="port"/> names: digits match <c>port</c>, anything else <c>name</c>; null is
    /// the Service's only port (the first of several). Null when there is no such port.
    /// </summary>
    public static ServicePort? PortOf(Service service, string? port)
    {
        var ports = service.Spec.Ports ?? [];
        if (port is null) return ports.FirstOrDefault();
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? ports.FirstOrDefault(p => p.Port == number)
            : ports.FirstOrDefault(p => p.Name == port);
    }
}
