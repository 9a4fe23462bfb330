using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Transport;

namespace Platform.Discovery.Client.Registry;

/// <summary>
/// The client's copy of the registry. Refreshes with a delta when it has a full copy, checks the result against
/// the server's <c>apps__hashcode</c>, and falls back to a full fetch when they disagree (a missed delta).
/// A change token fires on every change so HttpClient service discovery re-resolves at once.
/// </summary>
internal sealed partial class EurekaRegistryCache(EurekaHttpClient http, IOptions<EurekaClientOptions> options, ILogger<EurekaRegistryCache> logger)
    : IDiscoveryClient
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private EurekaApplications _apps = EurekaApplications.Empty;
    private CancellationTokenSource _changed = new();
    private bool _hasFull;

    public long FullFetches { get; private set; }
    public long DeltaFetches { get; private set; }

    public IReadOnlyCollection<string> Services => Volatile.Read(ref _apps).Apps.Keys.ToList();

    public IReadOnlyList<EurekaInstance> GetInstances(string serviceId)
    {
        var apps = Volatile.Read(ref _apps);
        if (!apps.Apps.TryGetValue(serviceId, out var instances)) return [];
        return options.Value.ShouldFilterOnlyUpInstances ? instances.Where(i => i.Status == "UP").ToList() : instances;
    }

    /// <summary>Fires when the cached registry changes.</summary>
    public IChangeToken ChangeToken => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var before = _apps;
            var next = await FetchAsync(cancellationToken);
            Volatile.Write(ref _apps, next);
            if (!SameInstances(before, next))
            {
                var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
                await old.CancelAsync();
                old.Dispose();
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<EurekaApplications> FetchAsync(CancellationToken ct)
    {
        if (_hasFull && !options.Value.ShouldDisableDelta)
        {
            var delta = await http.GetApplicationsAsync(delta: true, ct);
            DeltaFetches++;
            var merged = _apps.Apply(delta);
            if (merged.ComputeHashCode() == delta.AppsHashCode) return merged;
            LogHashMismatch(logger, merged.ComputeHashCode(), delta.AppsHashCode);
        }
        var full = await http.GetApplicationsAsync(delta: false, ct);
        FullFetches++;
        _hasFull = true;
        return full;
    }

    private static bool SameInstances(EurekaApplications a, EurekaApplications b) =>
        a.Apps.Count == b.Apps.Count && a.Apps.All(kv => b.Apps.TryGetValue(kv.Key, out var other) &&
            kv.Value.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(other.Select(Key).Order(StringComparer.Ordinal)));

    private static string Key(EurekaInstance i) => $"{i.InstanceId}|{i.HostName}|{i.Port}|{i.Status}";

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "registry delta gave hash {Local}, server has {Remote}: fetching the full registry")]
    private static partial void LogHashMismatch(ILogger logger, string local, string remote);
}
