namespace Platform.Connect.Distributed;

/// <summary>Which units of work (connectors and tasks, mapped onto slots) this worker owns right now.</summary>
internal interface IMembership
{
    /// <summary>True between losing an assignment and receiving the next one: the REST API answers 409 meanwhile.</summary>
    bool Rebalancing { get; }
    /// <summary>Number of slots units are spread over.</summary>
    int Slots { get; }
    bool Owns(int slot);
    /// <summary>Increments on every assignment, written as <c>generation</c> in statuses.</summary>
    int Generation { get; }
    event Action? Changed;
    Task StartAsync(CancellationToken cancellationToken);
    Task StopAsync();
}

/// <summary>Standalone mode: one worker owns everything.</summary>
internal sealed class StandaloneMembership : IMembership
{
    public bool Rebalancing => false;
    public int Slots => 1;
    public bool Owns(int slot) => true;
    public int Generation => 1;
#pragma warning disable CS0067 // never raised: nothing moves in standalone mode
    public event Action? Changed;
#pragma warning restore CS0067
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync() => Task.CompletedTask;
}
