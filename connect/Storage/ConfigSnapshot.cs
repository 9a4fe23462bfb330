namespace Platform.Connect.Storage;

using Props = IReadOnlyDictionary<string, string>;

/// <summary>
/// The cluster's connector configurations as read from the config topic at one point: connector configs, the
/// committed task configs of each connector, and target states. Immutable, swapped whole on every change.
/// </summary>
internal sealed record ConfigSnapshot(
    IReadOnlyDictionary<string, Props> Connectors,
    IReadOnlyDictionary<string, IReadOnlyList<Props>> Tasks,
    IReadOnlyDictionary<string, TargetState> TargetStates)
{
    public static readonly ConfigSnapshot Empty = new(
        new Dictionary<string, Props>(), new Dictionary<string, IReadOnlyList<Props>>(), new Dictionary<string, TargetState>());

    /// <summary>The latest restart request per connector; a worker handles each <see cref="RestartRequest.Sequence"/> once.</summary>
    public IReadOnlyDictionary<string, RestartRequest> Restarts { get; init; } = new Dictionary<string, RestartRequest>();

    public bool Contains(string connector) => Connectors.ContainsKey(connector);

    public IReadOnlyList<Props> TasksOf(string connector) => Tasks.TryGetValue(connector, out var t) ? t : [];

    public TargetState TargetStateOf(string connector) => TargetStates.TryGetValue(connector, out var s) ? s : TargetState.Started;
}

/// <summary>
/// A restart asked for through the REST API (<c>restart-connector-&lt;name&gt;</c> with Kafka's <c>include-tasks</c> and
/// <c>only-failed</c>; <c>task</c>, an addition of this worker, restarts one task). <see cref="Sequence"/> orders them.
/// </summary>
internal sealed record RestartRequest(bool IncludeTasks, bool OnlyFailed, int? Task, long Sequence = 0);
