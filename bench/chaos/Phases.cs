using System.Diagnostics;

namespace Platform.Bench.Chaos;

/// <summary>The run's clock and which fault is in progress: everything observed is tagged with the phase it fell in.</summary>
internal sealed class Phases
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private volatile int _current;

    /// <summary>0 is the warm-up before the first fault; fault i is phase i + 1.</summary>
    public int Current => _current;
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public void Enter(int phase) => _current = phase;
}
