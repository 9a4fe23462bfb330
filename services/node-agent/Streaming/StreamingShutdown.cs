namespace Platform.NodeAgent.Streaming;

/// <summary>
/// Ends the agent's exec and attach streams first thing in a shutdown, and waits (at most 10 s) until each has written
/// its Status and closed: Kestrel cuts upgraded connections when it stops, which would take the Status with it, and
/// lifecycle services' <see cref="StoppingAsync"/> runs before any hosted service, Kestrel's included, stops.
/// </summary>
internal sealed class StreamingShutdown(ContainerStreams streams) : IHostedLifecycleService
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Bound);
        await streams.ShutdownAsync(bound.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
