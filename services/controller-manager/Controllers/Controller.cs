using Platform.ApiServer.Client;
using Platform.ControllerManager.Informers;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Queue;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers;

/// <summary>
/// The client-go controller loop: handlers enqueue keys, <see cref="Workers"/> workers reconcile them, a failure is
/// retried with per-key back-off, and every <c>ResyncPeriod</c> all keys are queued again as a safety net.
/// </summary>
internal abstract partial class Controller : BackgroundService
{
    private readonly ControllerManagerOptions _options;
    private readonly ILogger _logger;

    protected Controller(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger logger)
    {
        Informers = informers;
        Api = api;
        Time = time;
        _options = options.Value;
        _logger = logger;
        Queue = new WorkQueue(time, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(60));
    }

    /// <summary>The shared informers the controller reads (never the apiserver, for reads).</summary>
    internal ClusterInformers Informers { get; }

    /// <summary>Where the controller writes.</summary>
    internal ApiClient Api { get; }

    internal TimeProvider Time { get; }

    protected WorkQueue Queue { get; }
    protected abstract string Name { get; }

    /// <summary>Makes the world match the desired state of <paramref name="key"/>; idempotent, not-found means deleted.</summary>
    protected abstract Task ReconcileAsync(string key, CancellationToken ct);

    /// <summary>Every key this controller owns (for the resync).</summary>
    protected abstract IEnumerable<string> AllKeys();

    /// <summary>
    /// Writes <paramref name="status"/> through the status subresource unless it equals <paramref name="old"/>, on the
    /// condition that <paramref name="obj"/> is still at the resourceVersion the informer gave
    /// (<see cref="ApiClient.PatchStatusAsync"/>): a status computed from a view older than the object is a 409, and the
    /// key is tried again once the informer has caught up, instead of overwriting a newer status. False when nothing
    /// was written (unchanged, or the object is gone).
    /// </summary>
    internal async Task<bool> WriteStatusAsync<T>(ResourceKind kind, Resource obj, T? old, T status, CancellationToken ct) where T : class
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(status, ResourceJson.Options)!;
        if (old is not null && System.Text.Json.Nodes.JsonNode.DeepEquals(node, System.Text.Json.JsonSerializer.SerializeToNode(old, ResourceJson.Options))) return false;
        return await Api.PatchStatusAsync(kind, obj, node, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Informers.WaitForSyncAsync(stoppingToken);
        foreach (var key in AllKeys()) Queue.Add(key);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(ResyncAsync(stoppingToken));
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ResyncAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, Time);
        while (await timer.WaitForNextTickAsync(ct))
            foreach (var key in AllKeys()) Queue.Add(key);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (await Queue.GetAsync(ct) is { } key)
        {
            try
            {
                await ReconcileAsync(key, ct);
                Queue.Forget(key);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException ex) when (ex.IsVersionConflict)
            {
                // Written from a view the informer had not refreshed yet (a status precondition, a stale update): the
                // ordinary race of a controller with its cache, tried again once it has caught up.
                ReconcileConflicted(Name, key, ex.Message);
                Queue.AddRateLimited(key);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TimeoutException or TaskCanceledException)
            {
                ReconcileFailed(Name, key, Queue.Failures(key) + 1, ex.Message);
                Queue.AddRateLimited(key);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    public override void Dispose()
    {
        Queue.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Controller}: {Key} changed since the informer's view, retrying: {Error}")]
    private partial void ReconcileConflicted(string controller, string key, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Controller}: reconciling {Key} failed (attempt {Attempt}), retrying with back-off: {Error}")]
    private partial void ReconcileFailed(string controller, string key, int attempt, string error);
}
