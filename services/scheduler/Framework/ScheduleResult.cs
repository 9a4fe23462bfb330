namespace Platform.Scheduler.Framework;

/// <summary>The outcome of one scheduling cycle: a node, or why none fit (<see cref="Diagnosis"/>) and whom a PostFilter would evict (<see cref="Preemption"/>), or an error.</summary>
internal sealed record ScheduleResult(string? NodeName, int EvaluatedNodes, int FeasibleNodes, Diagnosis? Diagnosis = null, Status? Error = null,
    PostFilterResult? Preemption = null)
{
    public bool Succeeded => NodeName is not null;
}
