using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.DefaultPreemption;

namespace Platform.Scheduler.Tests.Support;

/// <summary>The PodDisruptionBudgets preemption sees, set by the test.</summary>
internal sealed class MemoryBudgetLister : IBudgetLister
{
    public List<PodDisruptionBudget> Budgets { get; } = [];

    public IReadOnlyList<PodDisruptionBudget> List() => Budgets;
}
