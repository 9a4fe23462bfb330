namespace Platform.Connect.Storage;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>
/// Folds config-topic records, in log order, into a <see cref="ConfigSnapshot"/>. Task configs stay deferred until
/// their <c>commit-</c> record, so a worker never runs half of a new task set.
/// </summary>
internal sealed class ConfigState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Props> _connectors = [];
    private readonly Dictionary<string, IReadOnlyList<Props>> _tasks = [];
    private readonly Dictionary<string, TargetState> _targets = [];
    private readonly Dictionary<string, Dictionary<int, Props>> _deferred = [];
    private readonly Dictionary<string, RestartRequest> _restarts = [];
    private long _restartSeq;
    private ConfigSnapshot _snapshot = ConfigSnapshot.Empty;

    public ConfigSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Applies one record; returns whether the snapshot changed.</summary>
    public bool Apply(string key, byte[]? value)
    {
        lock (_lock)
        {
            if (!ApplyLocked(key, value)) return false;
            Volatile.Write(ref _snapshot, new ConfigSnapshot(
                new Dictionary<string, Props>(_connectors), new Dictionary<string, IReadOnlyList<Props>>(_tasks), new Dictionary<string, TargetState>(_targets))
            {
                Restarts = new Dictionary<string, RestartRequest>(_restarts),
            });
            return true;
        }
    }

    private bool ApplyLocked(string key, byte[]? value)
    {
        if (key.StartsWith(ConfigRecords.ConnectorPrefix, StringComparison.Ordinal))
        {
            var name = key[ConfigRecords.ConnectorPrefix.Length..];
            var props = value is null ? null : ConfigRecords.ReadProperties(value);
            if (props is null)
            {
                _connectors.Remove(name);
                _tasks.Remove(name);
                _targets.Remove(name);
                _deferred.Remove(name);
                _restarts.Remove(name);
            }
            else _connectors[name] = props;
            return true;
        }
        if (key.StartsWith(ConfigRecords.TaskPrefix, StringComparison.Ordinal))
        {
            var rest = key[ConfigRecords.TaskPrefix.Length..];
            var dash = rest.LastIndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[(dash + 1)..], out var n) || value is null) return false;
            var props = ConfigRecords.ReadProperties(value);
            if (props is null) return false;
            var name = rest[..dash];
            if (!_deferred.TryGetValue(name, out var pending)) _deferred[name] = pending = [];
            pending[n] = props;
            return false;
        }
        if (key.StartsWith(ConfigRecords.CommitPrefix, StringComparison.Ordinal))
        {
            var name = key[ConfigRecords.CommitPrefix.Length..];
            var count = value is null ? null : ConfigRecords.ReadCommit(value);
            if (count is null) return false;
            _deferred.TryGetValue(name, out var pending);
            var tasks = new List<Props>();
            for (var i = 0; i < count; i++)
            {
                // An incomplete set (compaction raced the writer) keeps the previous tasks, as Kafka marks it inconsistent.
                if (pending is null || !pending.TryGetValue(i, out var t)) return false;
                tasks.Add(t);
            }
            _tasks[name] = tasks;
            _deferred.Remove(name);
            return true;
        }
        if (key.StartsWith(ConfigRecords.RestartPrefix, StringComparison.Ordinal))
        {
            var name = key[ConfigRecords.RestartPrefix.Length..];
            var request = value is null ? null : ConfigRecords.ReadRestart(value);
            if (request is null) return false;
            _restarts[name] = request with { Sequence = ++_restartSeq };
            return true;
        }
        if (key.StartsWith(ConfigRecords.TargetStatePrefix, StringComparison.Ordinal))
        {
            var name = key[ConfigRecords.TargetStatePrefix.Length..];
            var state = value is null ? null : ConfigRecords.ReadTargetState(value);
            if (state is null) _targets.Remove(name);
            else _targets[name] = state.Value;
            return true;
        }
        return false;
    }
}
