using System.Net;
using System.Text.Json;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Leader;

/// <summary>
/// client-go's <c>tryAcquireOrRenew</c> on a Lease. A holder's lease counts as expired once <c>leaseDurationSeconds</c>
/// passed since this process last saw the record change, measured on this process's clock (so clock skew between
/// machines does not matter). Every write carries the read <c>resourceVersion</c>: of two candidates racing for an
/// expired lease, the apiserver lets exactly one win and answers the other 409.
/// </summary>
internal sealed class LeaseLock(ApiClient api, LeaderElectionOptions options, TimeProvider time)
{
    private Lease? _observed;
    private DateTimeOffset _observedAt;

    public string Identity { get; } = options.Identity;

    /// <summary>The holder in the last record seen, if any.</summary>
    public string? ObservedHolder => _observed?.Spec.HolderIdentity is { Length: > 0 } h ? h : null;

    private string Path => ResourceKinds.Lease.ObjectPath(options.LeaseNamespace, options.LeaseName);
    private int DurationSeconds => (int)Math.Ceiling(options.LeaseDuration.TotalSeconds);

    /// <summary>True when this process holds the lease after the call (taken or renewed); throws <see cref="HttpRequestException"/> when the apiserver fails.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await api.GetAsync<Lease>(Path, ct);
        if (current is null)
        {
            var lease = new Lease
            {
                ApiVersion = ResourceKinds.Lease.ApiVersion, Kind = ResourceKinds.Lease.Kind,
                Metadata = new ObjectMeta { Name = options.LeaseName, Namespace = options.LeaseNamespace },
                Spec = new LeaseSpec { HolderIdentity = Identity, LeaseDurationSeconds = DurationSeconds, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
            };
            return await WriteAsync(async () => await api.CreateReturningAsync(ResourceKinds.Lease.CollectionPath(options.LeaseNamespace), lease, ct));
        }
        if (_observed is null || !SameRecord(_observed, current))
        {
            // client-go's observedTime: read the clock once the record is here. `now` was read before the GET, so a
            // slow answer would otherwise age the record by the request's latency and expire the lease that early.
            _observed = current;
            _observedAt = time.GetUtcNow();
        }
        var holder = current.Spec.HolderIdentity;
        var mine = holder == Identity;
        if (!string.IsNullOrEmpty(holder) && !mine && _observedAt + TimeSpan.FromSeconds(current.Spec.LeaseDurationSeconds ?? 0) > now) return false;
        var next = current with
        {
            Spec = current.Spec with
            {
                HolderIdentity = Identity,
                LeaseDurationSeconds = DurationSeconds,
                AcquireTime = mine ? current.Spec.AcquireTime ?? now : now,
                RenewTime = now,
                LeaseTransitions = mine ? current.Spec.LeaseTransitions ?? 0 : (current.Spec.LeaseTransitions ?? 0) + 1,
            },
        };
        return await WriteAsync(() => api.ReplaceAsync(Path, next, ct));
    }

    /// <summary>Gives the lease up (client-go's ReleaseOnCancel): an empty holder that others may take at once.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (_observed is null || _observed.Spec.HolderIdentity != Identity) return;
        var now = time.GetUtcNow();
        var released = _observed with { Spec = _observed.Spec with { HolderIdentity = "", LeaseDurationSeconds = 1, AcquireTime = now, RenewTime = now } };
        await WriteAsync(() => api.ReplaceAsync(Path, released, ct));
    }

    private async Task<bool> WriteAsync(Func<Task<Lease?>> write)
    {
        try
        {
            if (await write() is not { } written) return false;
            _observed = written;
            _observedAt = time.GetUtcNow();
            return written.Spec.HolderIdentity == Identity;
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            return false; // another candidate wrote first
        }
    }

    private static bool SameRecord(Lease a, Lease b) =>
        a.Metadata.ResourceVersion == b.Metadata.ResourceVersion
        && JsonSerializer.Serialize(a.Spec, ResourceJson.Options) == JsonSerializer.Serialize(b.Spec, ResourceJson.Options);
}
