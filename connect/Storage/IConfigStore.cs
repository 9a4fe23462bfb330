namespace Platform.Connect.Storage;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>Where connector configurations live: the config topic (distributed) or memory (standalone).</summary>
internal interface IConfigStore
{
    ConfigSnapshot Snapshot { get; }
    /// <summary>Raised after a change became visible in <see cref="Snapshot"/> (written here or by another worker).</summary>
    event Action? Changed;
    Task StartAsync(CancellationToken cancellationToken);
    Task StopAsync();
    Task PutConnectorConfigAsync(string name, Props config, TargetState? targetState, CancellationToken cancellationToken);
    Task RemoveConnectorConfigAsync(string name, CancellationToken cancellationToken);
    Task PutTaskConfigsAsync(string name, IReadOnlyList<Props> tasks, CancellationToken cancellationToken);
    Task RequestRestartAsync(string name, RestartRequest request, CancellationToken cancellationToken);
    Task PutTargetStateAsync(string name, TargetState state, CancellationToken cancellationToken);
}
