using System.Collections.Immutable;
using Platform.Contracts.Registry;

namespace Platform.Gateway.Discovery;

/// <summary>
/// The gateway's copy of the registry: an immutable map app → instances swapped on every change, filled by a full
/// fetch and kept current by <c>platform.registry</c> events (and delta polls while Kafka is away).
/// </summary>
public sealed class RegistryCache
{
    private readonly object _gate = new();
    private ImmutableDictionary<string, ImmutableDictionary<string, ServiceInstance>> _apps =
        ImmutableDictionary.Create<string, ImmutableDictionary<string, ServiceInstance>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised after every change, outside the lock.</summary>
    public event Action? Changed;

    public bool Loaded { get; private set; }

    /// <summary>The application names known (any status).</summary>
    public IEnumerable<string> Apps => _apps.Keys;

    public IReadOnlyCollection<ServiceInstance> Instances(string app) =>
        _apps.TryGetValue(app, out var m) ? m.Values.ToList() : [];

    /// <summary>Replaces everything with a full fetch.</summary>
    public void ReplaceAll(IEnumerable<ServiceInstance> instances)
    {
        lock (_gate)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, ServiceInstance>>(StringComparer.OrdinalIgnoreCase);
            foreach (var g in instances.GroupBy(i => i.App, StringComparer.OrdinalIgnoreCase))
                builder[g.Key] = g.ToImmutableDictionary(i => i.InstanceId, StringComparer.Ordinal);
            _apps = builder.ToImmutable();
            Loaded = true;
        }
        Changed?.Invoke();
    }

    /// <summary>Applies a delta fetch; returns false when the result does not match the registry's hash (then fetch all).</summary>
    public bool ApplyDelta(RegistryDelta delta)
    {
        bool matches;
        lock (_gate)
        {
            var apps = _apps;
            foreach (var (instance, action) in delta.Changes)
            {
                var instances = apps.TryGetValue(instance.App, out var m) ? m : ImmutableDictionary.Create<string, ServiceInstance>(StringComparer.Ordinal);
                instances = action == "DELETED" ? instances.Remove(instance.InstanceId) : instances.SetItem(instance.InstanceId, instance);
                apps = instances.IsEmpty ? apps.Remove(instance.App) : apps.SetItem(instance.App, instances);
            }
            _apps = apps;
            matches = HashCode() == delta.AppsHashCode;
        }
        if (delta.Changes.Count > 0) Changed?.Invoke();
        return matches;
    }

    /// <summary>Eureka's reconcile hash of the cache: <c>STATUS_count_</c> per status, statuses in alphabetical order.</summary>
    public string HashCode()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in _apps.Values.SelectMany(a => a.Values))
        {
            var s = i.Status.ToUpperInvariant();
            counts[s] = counts.GetValueOrDefault(s) + 1;
        }
        return string.Concat(counts.Select(c => $"{c.Key}_{c.Value}_"));
    }

    /// <summary>Adds, updates or removes one instance; ignores an event older than what the cache holds.</summary>
    public void Apply(RegistryEvent e)
    {
        lock (_gate)
        {
            var instances = _apps.TryGetValue(e.App, out var m) ? m : ImmutableDictionary.Create<string, ServiceInstance>(StringComparer.Ordinal);
            if (instances.TryGetValue(e.InstanceId, out var current) && current.Timestamp > e.Timestamp) return;
            if (e.Action is RegistryEvent.Actions.Cancelled or RegistryEvent.Actions.Expired)
            {
                instances = instances.Remove(e.InstanceId);
            }
            else
            {
                var host = e.IpAddr ?? e.HostName ?? current?.Host;
                var port = e.SecurePortEnabled ? e.SecurePort : e.Port;
                if (host is null || port is null)
                {
                    // A status change may carry only the status: keep the address we know.
                    if (current is null) return;
                    instances = instances.SetItem(e.InstanceId, current with { Status = e.Status, Timestamp = e.Timestamp });
                }
                else
                {
                    instances = instances.SetItem(e.InstanceId, new ServiceInstance
                    {
                        App = e.App.ToUpperInvariant(), InstanceId = e.InstanceId, Host = host, Port = port.Value,
                        Secure = e.SecurePortEnabled, Status = e.Status, Timestamp = e.Timestamp,
                        Metadata = e.Metadata ?? current?.Metadata ?? new Dictionary<string, string>(),
                    });
                }
            }
            _apps = instances.IsEmpty ? _apps.Remove(e.App) : _apps.SetItem(e.App, instances);
        }
        Changed?.Invoke();
    }
}
