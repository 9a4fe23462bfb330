using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>A parsed pod (anti-)affinity term: label selector, namespaces (default: the owning pod's) and topology key.</summary>
internal sealed record AffinityTerm(Selector Selector, IReadOnlySet<string> Namespaces, string TopologyKey, int Weight)
{
    public bool Matches(PodInfo pod) => Namespaces.Contains(pod.Namespace) && Selector.Matches(pod.Labels);

    public static AffinityTerm From(PodAffinityTerm term, string ownNamespace, int weight) => new(
        Selectors.From(term.LabelSelector),
        term.Namespaces is { Count: > 0 } ns ? ns.ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { ownNamespace },
        term.TopologyKey ?? "",
        weight);
}
