namespace Platform.Connect.Storage;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>
/// The config store's operations as config-topic records; subclasses decide where the records go. Both modes share
/// one encoding, so standalone and distributed workers agree on what a record means.
/// </summary>
internal abstract class RecordConfigStore : IConfigStore
{
    protected ConfigState State { get; } = new();

    public ConfigSnapshot Snapshot => State.Snapshot;
    public event Action? Changed;

    public abstract Task StartAsync(CancellationToken cancellationToken);
    public abstract Task StopAsync();
    /// <summary>Writes the records in order and returns once they are visible in <see cref="Snapshot"/>.</summary>
    protected abstract Task WriteAsync(IReadOnlyList<(string Key, byte[]? Value)> records, CancellationToken cancellationToken);

    protected void RaiseChanged() => Changed?.Invoke();

    public Task PutConnectorConfigAsync(string name, Props config, TargetState? targetState, CancellationToken cancellationToken)
    {
        var records = new List<(string, byte[]?)>();
        if (targetState is { } s) records.Add((ConfigRecords.TargetStateKey(name), ConfigRecords.TargetState(s)));
        records.Add((ConfigRecords.ConnectorKey(name), ConfigRecords.Properties(config)));
        return WriteAsync(records, cancellationToken);
    }

    public Task RemoveConnectorConfigAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync([(ConfigRecords.ConnectorKey(name), null), (ConfigRecords.TargetStateKey(name), null)], cancellationToken);

    public Task PutTaskConfigsAsync(string name, IReadOnlyList<Props> tasks, CancellationToken cancellationToken)
    {
        var records = new List<(string, byte[]?)>();
        for (var i = 0; i < tasks.Count; i++) records.Add((ConfigRecords.TaskKey(name, i), ConfigRecords.Properties(tasks[i])));
        records.Add((ConfigRecords.CommitKey(name), ConfigRecords.Commit(tasks.Count)));
        return WriteAsync(records, cancellationToken);
    }

    public Task RequestRestartAsync(string name, RestartRequest request, CancellationToken cancellationToken) =>
        WriteAsync([(ConfigRecords.RestartKey(name), ConfigRecords.Restart(request))], cancellationToken);

    public Task PutTargetStateAsync(string name, TargetState state, CancellationToken cancellationToken) =>
        WriteAsync([(ConfigRecords.TargetStateKey(name), ConfigRecords.TargetState(state))], cancellationToken);
}

/// <summary>Standalone mode: configurations live as long as the process (as in Kafka Connect's MemoryConfigBackingStore).</summary>
internal sealed class MemoryConfigStore : RecordConfigStore
{
    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override Task StopAsync() => Task.CompletedTask;

    protected override Task WriteAsync(IReadOnlyList<(string Key, byte[]? Value)> records, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var (key, value) in records) changed |= State.Apply(key, value);
        if (changed) RaiseChanged();
        return Task.CompletedTask;
    }
}
