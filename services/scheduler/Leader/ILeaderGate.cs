namespace Platform.Scheduler.Leader;

/// <summary>Completes when this process may schedule (it holds the leader lease, or leader election is off).</summary>
internal interface ILeaderGate
{
    Task WaitForLeadershipAsync(CancellationToken cancellationToken);
    bool IsLeader { get; }
}
