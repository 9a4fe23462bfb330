using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Transport;

namespace Platform.Discovery.Client.Registry;

/// <summary>
/// The client's copy of the registry. Refreshes with a delta when it has a full copy, checks the result against
/// the server's <c>apps__hashcode</c>, and falls back to a full fetch when they disagree (a missed delta) or the
/// registry has no delta endpoint. Changes learnt between fetches (registry events) are applied one instance at a
/// time. A change token fires on every change so HttpClient service discovery re-resolves at once.
/// </summary>
internal sealed partial class EurekaRegistryCache(EurekaHttpClient http, IOptions<EurekaClientOptions> options, ILogger<EurekaRegistryCache> logger)
    : IDiscoveryClient
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _write = new();
    private EurekaApplications _apps = EurekaApplications.Empty;
    private CancellationTokenSource _changed = new();
    private bool _hasFull;

    public long FullFetches { get; private set; }
    public long DeltaFetches { get; private set; }

    public IReadOnlyCollection<string> Services => Volatile.Read(ref _apps).Apps.Keys.ToList();

    public EurekaApplications Applications => Volatile.Read(ref _apps);

    public IReadOnlyList<EurekaInstance> GetInstances(string serviceId)
    {
        var apps = Volatile.Read(ref _apps);
        if (!apps.Apps.TryGetValue(serviceId, out var instances)) return [];
        return options.Value.ShouldFilterOnlyUpInstances ? instances.Where(i => i.Status == "UP").ToList() : instances;
    }

    public IChangeToken ChangeToken => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_hasFull && !options.Value.ShouldDisableDelta && await GetDeltaAsync(cancellationToken) is { } delta)
            {
                DeltaFetches++;
                // Merged with what the copy holds at this moment, so a change applied while the delta was on its way stays.
                var local = "";
                var (merged, changed) = Update(apps =>
                {
                    var next = apps.Apply(delta);
                    local = next.ComputeHashCode();
                    return local == delta.AppsHashCode ? next : null;
                });
                if (merged)
                {
                    await SignalAsync(changed);
                    return;
                }
                LogHashMismatch(logger, local, delta.AppsHashCode);
            }
            var full = await http.GetApplicationsAsync(delta: false, cancellationToken);
            FullFetches++;
            _hasFull = true;
            await SignalAsync(Update(_ => full).Changed);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Apply(EurekaInstance change)
    {
        var (_, changed) = Update(apps =>
        {
            var held = apps.Apps.TryGetValue(change.AppName, out var instances) ? instances.FirstOrDefault(i => i.InstanceId == change.InstanceId) : null;
            if (held is not null && held.LastUpdatedTimestamp > change.LastUpdatedTimestamp) return null;
            return apps.Apply(new EurekaApplications(new Dictionary<string, IReadOnlyList<EurekaInstance>> { [change.AppName] = [change] }, apps.AppsHashCode));
        });
        if (changed is null) return;
        changed.Cancel();
        changed.Dispose();
    }

    private static async Task SignalAsync(CancellationTokenSource? changed)
    {
        if (changed is null) return;
        await changed.CancelAsync();
        changed.Dispose();
    }

    /// <summary><c>GET apps/delta</c>; null when the registry has no delta endpoint.</summary>
    private async Task<EurekaApplications?> GetDeltaAsync(CancellationToken ct)
    {
        try
        {
            return await http.GetApplicationsAsync(delta: true, ct);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces the copy with <paramref name="next"/>'s answer (null: keep it); returns whether it did, and the token
    /// source to cancel outside the lock when an instance changed.
    /// </summary>
    private (bool Replaced, CancellationTokenSource? Changed) Update(Func<EurekaApplications, EurekaApplications?> next)
    {
        lock (_write)
        {
            var before = _apps;
            if (next(before) is not { } after) return (false, null);
            Volatile.Write(ref _apps, after);
            // Fetches repeat the same answer; a change signal for nothing would make every reader rebuild.
            return (true, SameInstances(before, after) ? null : Interlocked.Exchange(ref _changed, new CancellationTokenSource()));
        }
    }

    private static bool SameInstances(EurekaApplications a, EurekaApplications b) =>
        a.Apps.Count == b.Apps.Count && a.Apps.All(kv => b.Apps.TryGetValue(kv.Key, out var other) &&
            kv.Value.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(other.Select(Key).Order(StringComparer.Ordinal)));

    private static string Key(EurekaInstance i) =>
        $"{i.InstanceId}|{i.HostName}|{i.IpAddr}|{i.Port}|{i.PortEnabled}|{i.SecurePort}|{i.SecurePortEnabled}|{i.Status}|" +
        string.Join(",", i.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "registry delta gave hash {Local}, server has {Remote}: fetching the full registry")]
    private static partial void LogHashMismatch(ILogger logger, string local, string remote);
}
