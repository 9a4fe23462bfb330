namespace Platform.Discovery.Registry;

/// <summary>The delta queue: changes of the last <c>DeltaRetentionSeconds</c>, oldest first. Guarded by the registry lock.</summary>
internal sealed class RecentChanges(TimeSpan retention)
{
    private readonly Queue<(long At, InstanceView Instance)> _queue = new();

    public int Count => _queue.Count;

    public void Add(long nowMs, InstanceView instance)
    {
        _queue.Enqueue((nowMs, instance));
        Trim(nowMs);
    }

    public void Trim(long nowMs)
    {
        var cutoff = nowMs - (long)retention.TotalMilliseconds;
        while (_queue.Count > 0 && _queue.Peek().At < cutoff) _queue.Dequeue();
    }

    /// <summary>The latest change of each instance in the window, grouped by application.</summary>
    public Dictionary<string, Dictionary<string, InstanceView>> Latest()
    {
        var byApp = new Dictionary<string, Dictionary<string, InstanceView>>(StringComparer.Ordinal);
        foreach (var (_, i) in _queue)
        {
            if (!byApp.TryGetValue(i.Info.App, out var ids)) byApp[i.Info.App] = ids = new(StringComparer.Ordinal);
            ids[i.Info.InstanceId] = i;
        }
        return byApp;
    }
}
