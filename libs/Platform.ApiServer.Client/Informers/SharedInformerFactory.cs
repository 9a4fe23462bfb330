using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// One informer per kind for a whole process, however many controllers read it (client-go's
/// <c>SharedInformerFactory</c>). <see cref="Start"/> runs every informer asked for so far and any asked for later.
/// </summary>
public sealed class SharedInformerFactory(ApiClient api, TimeProvider time, ILoggerFactory loggers)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IInformer> _informers = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private CancellationToken? _started;

    /// <summary>The informer of <paramref name="kind"/>, made on first use with <paramref name="configure"/>.</summary>
    public Informer<T> For<T>(ResourceKind kind, Action<InformerOptions>? configure = null) where T : Resource
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(kind.Plural, out var existing)) return (Informer<T>)existing;
            var options = new InformerOptions();
            configure?.Invoke(options);
            var informer = new Informer<T>(kind, api, options, time, loggers.CreateLogger($"Platform.ApiServer.Client.Informers.Informer[{kind.Plural}]"));
            _informers[kind.Plural] = informer;
            if (_started is { } ct) _running.Add(RunAsync(informer, ct));
            return informer;
        }
    }

    /// <summary>The informer following <paramref name="plural"/>, if one was asked for.</summary>
    public IInformer? Find(string plural)
    {
        lock (_lock) return _informers.GetValueOrDefault(plural);
    }

    public IReadOnlyList<IInformer> Informers
    {
        get { lock (_lock) return [.. _informers.Values]; }
    }

    public bool HasSynced => Informers.All(i => i.HasSynced);

    /// <summary>Completes once every informer asked for so far holds its first list.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken ct) => Task.WhenAll(Informers.Select(i => i.WaitForSyncAsync(ct)));

    /// <summary>Runs the informers until <paramref name="ct"/> is cancelled; completes when they have stopped.</summary>
    public Task Start(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_started is not null) throw new InvalidOperationException("the informer factory has already started");
            _started = ct;
            foreach (var i in _informers.Values) _running.Add(RunAsync(i, ct));
        }
        return WaitStoppedAsync(ct);
    }

    private async Task WaitStoppedAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        Task[] running;
        lock (_lock) running = [.. _running];
        await Task.WhenAll(running);
    }

    private static async Task RunAsync(IInformer informer, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await informer.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
