using System.Text.Json.Nodes;

namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: apps/v1</c>, <c>kind: ControllerRevision</c>: an immutable snapshot of a DaemonSet's or StatefulSet's
/// pod template (<see cref="Data"/>, the patch that restores it) with its <see cref="Revision"/> number; what
/// <c>kubectl rollout history</c> lists and <c>rollout undo</c> applies.
/// </summary>
public sealed record ControllerRevision : Resource
{
    /// <summary>The label carrying the revision's name hash, on the revision and on the pods made from it.</summary>
    public const string HashLabel = "controller-revision-hash";

    /// <summary>The patch that restores the owner's template: <c>{"spec":{"template":{...,"$patch":"replace"}}}</c>.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>The revision number; higher is newer. Required.</summary>
    public long Revision { get; init; }
}
