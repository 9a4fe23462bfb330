namespace Platform.ApiServer.Client.Queue;

/// <summary>The one-worker loop of a controller over a <see cref="WorkQueue"/>.</summary>
public static class WorkQueueLoop
{
    /// <summary>
    /// Hands each key to <paramref name="sync"/> until shut down or cancelled: a key that synced is forgotten (its
    /// back-off reset); one that failed with an exception <paramref name="transient"/> accepts is reported to
    /// <paramref name="retrying"/> and queued again after its back-off. Any other exception ends the loop (and the host).
    /// </summary>
    public static async Task RunAsync(this WorkQueue queue, Func<string, CancellationToken, Task> sync, Func<Exception, bool> transient,
        Action<string, Exception> retrying, CancellationToken ct)
    {
        while (await queue.GetAsync(ct) is { } key)
        {
            try
            {
                await sync(key, ct);
                queue.Forget(key);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (transient(ex))
            {
                retrying(key, ex);
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
