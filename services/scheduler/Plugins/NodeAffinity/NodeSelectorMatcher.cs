using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// A preferred term evaluated against a cached node (<see cref="NodeSelectorMatching"/>). Required terms use the
/// compiled <see cref="RequiredNodeSelector"/>.
/// </summary>
internal static class NodeSelectorMatcher
{
    public static bool TermMatches(NodeSelectorTerm term, NodeInfo node) => NodeSelectorMatching.TermMatches(term, node.Name, node.Labels);
}
