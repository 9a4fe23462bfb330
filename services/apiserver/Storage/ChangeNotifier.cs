namespace Platform.ApiServer.Storage;

/// <summary>Wakes watchers of this process after each commit, so a watch answers at once instead of on its fallback timer.</summary>
internal sealed class ChangeNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next commit or after <paramref name="timeout"/> (changes made by other apiserver processes).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var next = Volatile.Read(ref _next).Task;
        await Task.WhenAny(next, Task.Delay(timeout, time, ct));
        ct.ThrowIfCancellationRequested();
    }
}
