using System.Threading.Channels;
using Platform.ApiServer.Client;

namespace Platform.Scheduler.Plugins.DefaultBinder;

/// <summary>
/// Gathers the bindings the bind workers ask for at the same time into the apiserver's batch call (one request, one
/// transaction, one WAL flush for up to <c>Scheduler:BindBatchSize</c> pods): whatever queued while the previous
/// request was out goes in the next, so a lone binding waits for nothing and a burst costs a few requests.
/// <c>Scheduler:BindBatchSize</c> 1, or an apiserver without the batch call, binds one pod per <c>pods/binding</c> request.
/// </summary>
internal sealed class BindingBatcher(ApiClient api, SchedulerOptions options) : IDisposable
{
    /// <summary>Batch requests in flight at once: one is being answered while the next fills.</summary>
    private const int Senders = 2;

    private sealed record Pending(string Namespace, string Name, string Node, TaskCompletionSource<(BindOutcome, string?)> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private bool _started;
    private volatile bool _noBatchCall;

    public async Task<(BindOutcome Outcome, string? Message)> BindAsync(string ns, string name, string node, CancellationToken ct)
    {
        if (options.BindBatchSize <= 1 || _noBatchCall) return (await api.BindAsync(ns, name, node, ct), null);
        Start();
        var pending = new Pending(ns, name, node, new TaskCompletionSource<(BindOutcome, string?)>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);
        return await pending.Done.Task.WaitAsync(ct);
    }

    private void Start()
    {
        lock (_lock)
        {
            if (_started) return;
            _started = true;
        }
        for (var i = 0; i < Senders; i++) _ = Task.Run(() => SendAsync(_stop.Token));
    }

    private async Task SendAsync(CancellationToken ct)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                var batch = new List<Pending>();
                while (batch.Count < options.BindBatchSize && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (batch.Count > 0) await SendBatchAsync(batch, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendBatchAsync(List<Pending> batch, CancellationToken ct)
    {
        try
        {
            var results = await api.BindManyAsync(batch.Select(p => (p.Namespace, p.Name, p.Node)).ToList(), ct);
            if (results is null)
            {
                _noBatchCall = true;
                foreach (var p in batch) p.Done.TrySetResult((await api.BindAsync(p.Namespace, p.Name, p.Node, ct), null));
                return;
            }
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Every binding of the batch failed alike; each worker backs its pod off and retries, as after a failed pods/binding.
            var failure = ex as HttpRequestException ?? new HttpRequestException($"binding batch of {batch.Count} pods failed: {ex.Message}", ex);
            foreach (var p in batch) p.Done.TrySetException(failure);
        }
        finally
        {
            foreach (var p in batch) p.Done.TrySetCanceled(ct.IsCancellationRequested ? ct : CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
