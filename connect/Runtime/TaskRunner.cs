using Platform.Connect.Storage;

namespace Platform.Connect.Runtime;

/// <summary>
/// One running task: its loop runs from <see cref="Start"/> until <see cref="StopAsync"/>, which awaits it. A loop
/// that throws leaves the runner FAILED with the exception as trace, reported to the status store; it is not
/// restarted until a restart request or a new configuration replaces it.
/// </summary>
internal abstract class TaskRunner(TaskContext context)
{
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _paused;
    private Task? _loop;

    protected TaskContext Context { get; } = context;
    public TaskId Id => Context.Id;
    /// <summary>Connector and task configuration this runner was started with (a change replaces the runner).</summary>
    public string Fingerprint { get; init; } = "";
    public bool Failed { get; private set; }
    public bool Paused => _paused;

    public void Start(bool paused)
    {
        _paused = paused;
        _loop = Task.Run(() => RunGuardedAsync(_stop.Token));
    }

    public async Task SetPausedAsync(bool paused)
    {
        if (_paused == paused || Failed) return;
        _paused = paused;
        await Context.ReportState(paused ? ConnectorStatus.Paused : ConnectorStatus.Running, null);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                Context.Logger.LogWarning("task {Task} did not stop within 30 s", Id);
            }
        }
        _stop.Dispose();
    }

    /// <summary>Waits while paused; returns false once stopping.</summary>
    protected async Task<bool> WaitWhilePausedAsync(CancellationToken token)
    {
        while (_paused && !token.IsCancellationRequested) await Task.Delay(100, CancellationToken.None);
        return !token.IsCancellationRequested;
    }

    protected abstract Task RunAsync(CancellationToken token);

    private async Task RunGuardedAsync(CancellationToken token)
    {
        try
        {
            await Context.ReportState(_paused ? ConnectorStatus.Paused : ConnectorStatus.Running, null);
            await RunAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Failed = true;
            Context.Logger.LogError(ex, "task {Task} failed", Id);
            try
            {
                await Context.ReportState(ConnectorStatus.Failed, ex.ToString());
            }
            catch (Exception report) when (report is not OutOfMemoryException)
            {
                Context.Logger.LogError(report, "task {Task}: its FAILED state could not be stored", Id);
            }
        }
    }
}
