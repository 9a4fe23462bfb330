namespace Platform.ControllerManager.Controllers.ReplicaSet;

/// <summary>
/// client-go's controller expectations: after creating or deleting pods a ReplicaSet waits until its cache has seen
/// those changes before counting again, so a lagging cache never makes it create or delete twice. Expectations expire
/// (a lost event must not stall a ReplicaSet forever).
/// </summary>
internal sealed class Expectations(TimeProvider time, TimeSpan ttl)
{
    private sealed class Entry
    {
        public int Adds;
        public HashSet<string> Deletes = [];
        public DateTimeOffset At;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = [];

    public bool Satisfied(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var e)) return true;
            if ((e.Adds <= 0 && e.Deletes.Count == 0) || time.GetUtcNow() - e.At > ttl)
            {
                _entries.Remove(key);
                return true;
            }
            return false;
        }
    }

    public void ExpectCreations(string key, int count) => Set(key, e => e.Adds = count);

    public void ExpectDeletions(string key, IEnumerable<string> uids) => Set(key, e => e.Deletes = [.. uids]);

    /// <summary>Both at once, for controllers that create and delete in one pass (DaemonSets, StatefulSets).</summary>
    public void Expect(string key, int creations, IEnumerable<string> deletionUids) => Set(key, e =>
    {
        e.Adds = creations;
        e.Deletes = [.. deletionUids];
    });

    private void Set(string key, Action<Entry> set)
    {
        lock (_lock)
        {
            var e = new Entry { At = time.GetUtcNow() };
            set(e);
            _entries[key] = e;
        }
    }

    public void CreationObserved(string key)
    {
        lock (_lock)
            if (_entries.TryGetValue(key, out var e)) e.Adds--;
    }

    /// <summary>A creation failed: do not wait for it.</summary>
    public void CreationFailed(string key) => CreationObserved(key);

    /// <summary>Creations that were expected but never sent (client-go's LowerExpectations).</summary>
    public void CreationsNotAttempted(string key, int count)
    {
        lock (_lock)
            if (_entries.TryGetValue(key, out var e)) e.Adds -= count;
    }

    public void DeletionObserved(string key, string uid)
    {
        lock (_lock)
            if (_entries.TryGetValue(key, out var e)) e.Deletes.Remove(uid);
    }

    public void Delete(string key)
    {
        lock (_lock) _entries.Remove(key);
    }
}
