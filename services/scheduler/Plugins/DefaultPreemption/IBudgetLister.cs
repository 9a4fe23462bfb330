using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.DefaultPreemption;

/// <summary>The PodDisruptionBudgets preemption tries not to break (kube-scheduler's PDB lister).</summary>
internal interface IBudgetLister
{
    IReadOnlyList<PodDisruptionBudget> List();
}

/// <summary>The budgets of the scheduler's shared informer.</summary>
internal sealed class InformerBudgetLister(SharedInformerFactory informers) : IBudgetLister
{
    private readonly Informer<PodDisruptionBudget> _budgets = informers.For<PodDisruptionBudget>(ResourceKinds.PodDisruptionBudget);

    public IReadOnlyList<PodDisruptionBudget> List() => _budgets.List();
}
