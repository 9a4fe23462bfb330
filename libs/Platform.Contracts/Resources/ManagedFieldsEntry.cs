using System.Text.Json;

namespace Platform.Contracts.Resources;

/// <summary>
/// The fields one manager owns, as server-side apply records them: <see cref="FieldsV1"/> is a tree of
/// <c>f:&lt;field&gt;</c>, <c>k:{"name":"web"}</c> (a list item by its key) and <c>v:&lt;value&gt;</c> (a set member)
/// elements, <c>"."</c> marking an element that is itself owned.
/// </summary>
public sealed record ManagedFieldsEntry
{
    /// <summary>The manager's name: the <c>fieldManager</c> of its requests (<c>kubectl</c>, <c>kubectl-scale</c> ...).</summary>
    public string? Manager { get; init; }
    /// <summary><c>Apply</c> (server-side apply: the manager's whole intent) or <c>Update</c> (fields it changed by any other write).</summary>
    public string? Operation { get; init; }
    /// <summary>The API version the manager wrote with.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>When the entry last changed.</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>Always <c>FieldsV1</c>.</summary>
    public string? FieldsType { get; init; }
    /// <summary>The owned fields.</summary>
    public JsonElement? FieldsV1 { get; init; }
    /// <summary>The subresource written through, if any.</summary>
    public string? Subresource { get; init; }
}
