namespace Platform.NodeAgent.Pods;

/// <summary>
/// kubelet's restart back-off: the first restart is immediate, then 10 s doubling to 300 s; a container that ran
/// for 10 minutes starts over.
/// </summary>
internal sealed class CrashLoopBackOff(TimeSpan initial, TimeSpan max, TimeSpan reset)
{
    private TimeSpan _current = TimeSpan.Zero;

    public TimeSpan Current => _current;

    /// <summary>Records a crash of a container that ran for <paramref name="ran"/>; returns how long to wait before the restart.</summary>
    public TimeSpan OnCrash(TimeSpan ran)
    {
        if (ran >= reset) _current = TimeSpan.Zero;
        var wait = _current;
        _current = _current == TimeSpan.Zero ? initial : TimeSpan.FromTicks(Math.Min(_current.Ticks * 2, max.Ticks));
        return wait;
    }
}
