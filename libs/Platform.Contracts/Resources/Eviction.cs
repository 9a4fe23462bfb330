using System.Text.Json.Nodes;

namespace Platform.Contracts.Resources;

/// <summary>
/// <c>policy/v1 Eviction</c>, posted to <c>pods/{name}/eviction</c>: delete the pod unless that breaks a
/// PodDisruptionBudget covering it.
/// </summary>
public sealed record Eviction : Resource
{
    /// <summary>Passed on to the delete (grace period, preconditions).</summary>
    public JsonObject? DeleteOptions { get; init; }
}
