using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// Bounds the long-lived streaming sessions (<c>pods/portforward</c>) one apiserver relays at once: each holds two
/// sockets and two pumps for as long as the client stays, so past the bound a new one gets 429 instead of a hang.
/// </summary>
internal sealed class StreamingSessionLimit : IDisposable
{
    public const int MaxSessions = 256;
    private readonly SemaphoreSlim _slots = new(MaxSessions, MaxSessions);

    /// <summary>A slot, released on dispose; 429 when every slot is taken.</summary>
    public IDisposable Enter()
    {
        if (!_slots.Wait(0, CancellationToken.None))
            throw new ApiProblem(429, "TooManyRequests", $"{MaxSessions} streaming sessions are open on this apiserver; try again later");
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
