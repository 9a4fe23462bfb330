using Microsoft.Extensions.Options;
using Platform.Discovery.Configuration;
using Platform.Discovery.Leases;

namespace Platform.Discovery.Registry;

/// <summary>
/// The registry: leases by application and instance id. Writers take one lock (changes are small and the
/// observers only enqueue); heartbeats touch only their lease. Every change goes to the delta queue and the
/// observers in the order it happened.
/// </summary>
internal sealed class InstanceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Lease>> _apps = new(StringComparer.Ordinal);
    /// <summary>Instances per status, kept by <see cref="CountStatus"/> under the lock (the delta's <c>apps__hashcode</c>).</summary>
    private readonly Dictionary<InstanceStatus, int> _statusCounts = [];
    private readonly RecentChanges _recent;
    private readonly TimeProvider _time;
    private readonly RenewalRate _renewals;
    private readonly SelfPreservation _selfPreservation;
    private readonly IEnumerable<IRegistryObserver> _observers;
    private IRegistryObserver[]? _observerArray;
    private long _version;
    private int _count;

    public InstanceRegistry(IOptions<EurekaServerOptions> options, TimeProvider time, RenewalRate renewals,
        SelfPreservation selfPreservation, IEnumerable<IRegistryObserver> observers)
    {
        _recent = new RecentChanges(TimeSpan.FromSeconds(options.Value.DeltaRetentionSeconds));
        _time = time;
        _renewals = renewals;
        _selfPreservation = selfPreservation;
        _observers = observers;
    }

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Registered instances.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bumped by every change; the response cache keys on it.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Register(InstanceInfo incoming, bool isReplication)
    {
        var now = NowMs;
        lock (_gate)
        {
            if (!_apps.TryGetValue(incoming.App, out var leases)) _apps[incoming.App] = leases = new(StringComparer.Ordinal);
            leases.TryGetValue(incoming.InstanceId, out var existing);
            var info = incoming;
            // A registration older than what we hold (a replayed replication) must not roll the instance back.
            if (existing is not null && existing.Instance.LastDirtyTimestamp > incoming.LastDirtyTimestamp) info = existing.Instance;
            var overridden = existing?.Instance.OverriddenStatus ?? InstanceStatus.Unknown;
            if (incoming.OverriddenStatus != InstanceStatus.Unknown) overridden = incoming.OverriddenStatus;
            info = info with
            {
                OverriddenStatus = overridden,
                Status = Effective(info.Status, overridden),
                ActionType = ActionType.Added,
                LastUpdatedTimestamp = now,
            };
            Lease lease;
            if (existing is null)
            {
                lease = new Lease(info, now);
                leases[info.InstanceId] = lease;
                Interlocked.Increment(ref _count);
                _selfPreservation.ClientRegistered();
            }
            else
            {
                lease = existing;
                lease.Instance = info;
                lease.Renew(now);
                if (info.Status == InstanceStatus.Up && lease.ServiceUpTimestamp == 0) lease.ServiceUpTimestamp = now;
            }
            Changed(RegistryChangeKind.Registered, lease, info, isReplication, now);
        }
    }

    /// <summary>
    /// A heartbeat. 404 when unknown or when the client's <paramref name="lastDirtyTimestamp"/> is newer than ours
    /// (it must re-register); 409 to a replicating peer whose copy is older than ours.
    /// </summary>
    public (RenewOutcome Outcome, InstanceView? Current) Renew(string app, string id, InstanceStatus? status,
        long? lastDirtyTimestamp, InstanceStatus? overriddenStatus, bool isReplication)
    {
        var now = NowMs;
        var lease = Find(app, id);
        if (lease is null) return (RenewOutcome.NotFound, null);
        var info = lease.Instance;
        if (lastDirtyTimestamp is { } dirty && dirty > info.LastDirtyTimestamp) return (RenewOutcome.NotFound, null);
        if (lastDirtyTimestamp is { } older && older < info.LastDirtyTimestamp && isReplication)
            return (RenewOutcome.Conflict, new InstanceView(info, lease.Times));
        if (info.Status == InstanceStatus.Unknown && info.OverriddenStatus == InstanceStatus.Unknown)
            return (RenewOutcome.NotFound, null);
        lease.Renew(now);
        _renewals.Increment();
        lock (_gate)
        {
            // Re-read under the lock: a status change may have swapped the instance since the checks above.
            var current = lease.Instance;
            var wanted = overriddenStatus is { } o && o != InstanceStatus.Unknown ? o : current.OverriddenStatus;
            var effective = Effective(status ?? current.Status, wanted);
            if (effective != current.Status || wanted != current.OverriddenStatus)
            {
                var updated = current with { Status = effective, OverriddenStatus = wanted, ActionType = ActionType.Modified, LastUpdatedTimestamp = now };
                lease.Instance = updated;
                if (effective == InstanceStatus.Up && lease.ServiceUpTimestamp == 0) lease.ServiceUpTimestamp = now;
                Changed(RegistryChangeKind.StatusChanged, lease, updated, isReplication, now);
            }
            Notify(new RegistryChange(RegistryChangeKind.Heartbeat, lease.Instance, isReplication, now));
        }
        return (RenewOutcome.Ok, null);
    }

    public bool Cancel(string app, string id, bool isReplication) => Remove(app, id, RegistryChangeKind.Cancelled, isReplication);

    /// <summary><c>PUT .../status?value=</c>: an override that heartbeats cannot undo (except DOWN/STARTING from the client).</summary>
    public RenewOutcome SetStatusOverride(string app, string id, InstanceStatus value, long? lastDirtyTimestamp, bool isReplication) =>
        ChangeStatus(app, id, value, value, lastDirtyTimestamp, RegistryChangeKind.StatusChanged, isReplication);

    /// <summary><c>DELETE .../status</c>: removes the override, the status becomes <paramref name="newStatus"/>.</summary>
    public RenewOutcome DeleteStatusOverride(string app, string id, InstanceStatus newStatus, long? lastDirtyTimestamp, bool isReplication) =>
        ChangeStatus(app, id, newStatus, InstanceStatus.Unknown, lastDirtyTimestamp, RegistryChangeKind.StatusOverrideDeleted, isReplication);

    public bool UpdateMetadata(string app, string id, IReadOnlyDictionary<string, string> entries)
    {
        var now = NowMs;
        lock (_gate)
        {
            var lease = Find(app, id);
            if (lease is null) return false;
            var merged = new Dictionary<string, string>(lease.Instance.Metadata, StringComparer.Ordinal);
            foreach (var (k, v) in entries) merged[k] = v;
            var updated = lease.Instance with { Metadata = merged, ActionType = ActionType.Modified, LastUpdatedTimestamp = now, LastDirtyTimestamp = now };
            lease.Instance = updated;
            Changed(RegistryChangeKind.MetadataChanged, lease, updated, false, now);
            return true;
        }
    }

    /// <summary>
    /// Evicts expired leases unless self-preservation is active; like Eureka, at most
    /// <c>1 - RenewalPercentThreshold</c> of the registry per run, in random order, so a mass expiry is spread out.
    /// </summary>
    public IReadOnlyList<InstanceInfo> EvictExpired(double renewalPercentThreshold)
    {
        var now = NowMs;
        lock (_gate) _recent.Trim(now);
        if (_selfPreservation.IsActive) return [];
        var expired = new List<(string App, string Id)>();
        lock (_gate)
        {
            foreach (var (app, leases) in _apps)
                foreach (var (id, lease) in leases)
                    if (lease.IsExpired(now)) expired.Add((app, id));
        }
        if (expired.Count == 0) return [];
        var size = Count;
        var limit = Math.Max(1, size - (int)(size * renewalPercentThreshold));
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(expired));
        var evicted = new List<InstanceInfo>();
        foreach (var (app, id) in expired.Take(limit))
        {
            var info = Find(app, id)?.Instance;
            if (info is not null && Remove(app, id, RegistryChangeKind.Expired, isReplication: false)) evicted.Add(info);
        }
        return evicted;
    }

    public InstanceView? Get(string app, string id)
    {
        var lease = Find(app, id);
        return lease is null ? null : new InstanceView(lease.Instance, lease.Times);
    }

    /// <summary><c>/eureka/instances/{id}</c>: the instance with that id in any application.</summary>
    public InstanceView? GetById(string id)
    {
        lock (_gate)
        {
            foreach (var leases in _apps.Values)
                if (leases.TryGetValue(id, out var lease)) return new InstanceView(lease.Instance, lease.Times);
        }
        return null;
    }

    /// <summary>The full registry (applications without instances omitted) with its hash code, taken atomically.</summary>
    public ApplicationsView Snapshot(Func<InstanceInfo, bool>? filter = null)
    {
        lock (_gate)
        {
            var apps = new List<ApplicationView>(_apps.Count);
            var all = new List<InstanceInfo>(Count);
            foreach (var (name, leases) in _apps.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var instances = new List<InstanceView>(leases.Count);
                foreach (var lease in leases.Values)
                {
                    all.Add(lease.Instance);
                    if (filter is null || filter(lease.Instance)) instances.Add(new InstanceView(lease.Instance, lease.Times));
                }
                if (instances.Count == 0) continue;
                instances.Sort((a, b) => string.CompareOrdinal(a.Info.InstanceId, b.Info.InstanceId));
                apps.Add(new ApplicationView(name, instances));
            }
            return new ApplicationsView(Version, ApplicationsView.HashCodeOf(all), apps);
        }
    }

    /// <summary>Changes of the retention window, with the hash code of the full registry at the same moment.</summary>
    public ApplicationsView Delta()
    {
        lock (_gate)
        {
            _recent.Trim(NowMs);
            var apps = _recent.Latest()
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new ApplicationView(a.Key, a.Value.Values.ToList()))
                .ToList();
            return new ApplicationsView(Version, ApplicationsView.HashCodeOf(_statusCounts), apps);
        }
    }

    public void ResetExpectedRenewals() => _selfPreservation.Reset(Count);

    private RenewOutcome ChangeStatus(string app, string id, InstanceStatus status, InstanceStatus overridden,
        long? lastDirtyTimestamp, RegistryChangeKind kind, bool isReplication)
    {
        var now = NowMs;
        lock (_gate)
        {
            var lease = Find(app, id);
            if (lease is null) return RenewOutcome.NotFound;
            var current = lease.Instance;
            var updated = current with
            {
                Status = status,
                OverriddenStatus = overridden,
                ActionType = ActionType.Modified,
                LastUpdatedTimestamp = now,
                LastDirtyTimestamp = Math.Max(current.LastDirtyTimestamp, lastDirtyTimestamp ?? 0),
            };
            lease.Instance = updated;
            lease.Renew(now);
            if (status == InstanceStatus.Up && lease.ServiceUpTimestamp == 0) lease.ServiceUpTimestamp = now;
            Changed(kind, lease, updated, isReplication, now);
            return RenewOutcome.Ok;
        }
    }

    private bool Remove(string app, string id, RegistryChangeKind kind, bool isReplication)
    {
        var now = NowMs;
        lock (_gate)
        {
            if (!_apps.TryGetValue(app, out var leases) || !leases.Remove(id, out var lease)) return false;
            if (leases.Count == 0) _apps.Remove(app);
            Interlocked.Decrement(ref _count);
            if (kind == RegistryChangeKind.Cancelled) _selfPreservation.ClientCancelled();
            lease.EvictionTimestamp = now;
            var removed = lease.Instance with { ActionType = ActionType.Deleted, LastUpdatedTimestamp = now };
            Changed(kind, lease, removed, isReplication, now);
            return true;
        }
    }

    private Lease? Find(string app, string id)
    {
        lock (_gate) return _apps.TryGetValue(app, out var leases) && leases.TryGetValue(id, out var lease) ? lease : null;
    }

    private void Changed(RegistryChangeKind kind, Lease lease, InstanceInfo info, bool isReplication, long now)
    {
        Interlocked.Increment(ref _version);
        CountStatus(lease, info.ActionType == ActionType.Deleted ? null : info.Status);
        _recent.Add(now, new InstanceView(info, lease.Times));
        Notify(new RegistryChange(kind, info, isReplication, now));
    }

    /// <summary>
    /// Keeps the instance counts per status (the <c>apps__hashcode</c>) current on every change, so a delta does not
    /// walk the whole registry under the lock to compute it. <paramref name="status"/> is the lease's status now, null
    /// when it left the registry.
    /// </summary>
    private void CountStatus(Lease lease, InstanceStatus? status)
    {
        if (lease.CountedStatus is { } was && (_statusCounts[was] -= 1) == 0) _statusCounts.Remove(was);
        if (status is { } now) _statusCounts[now] = _statusCounts.GetValueOrDefault(now) + 1;
        lease.CountedStatus = status;
    }

    private void Notify(RegistryChange change)
    {
        foreach (var o in _observerArray ??= _observers.ToArray()) o.OnChanged(change);
    }

    /// <summary>DOWN and STARTING from the client always win (it knows it is not ready); otherwise an override does.</summary>
    private static InstanceStatus Effective(InstanceStatus reported, InstanceStatus overridden) =>
        reported is InstanceStatus.Down or InstanceStatus.Starting || overridden == InstanceStatus.Unknown ? reported : overridden;
}
