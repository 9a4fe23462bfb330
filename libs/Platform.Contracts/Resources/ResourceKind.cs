namespace Platform.Contracts.Resources;

/// <summary>How a kind is served: its API group and version, URL plural, scope and CLR type.</summary>
public sealed record ResourceKind(
    string Kind, string Plural, string Group, string Version, bool Namespaced, Type ClrType,
    IReadOnlyList<string> ShortNames, IReadOnlyList<string> Subresources)
{
    /// <summary><c>v1</c> for the core group, <c>apps/v1</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary><c>pods</c>, <c>deployments.apps</c>: how Kubernetes names the resource in messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary><c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string ApiPrefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection URL, in <paramref name="ns"/> for namespaced kinds (all namespaces when null).</summary>
    public string CollectionPath(string? ns) =>
        Namespaced && ns is not null ? $"{ApiPrefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{ApiPrefix}/{Plural}";

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public bool HasSubresource(string name) => Subresources.Contains(name);

    /// <summary>Groups the kind belongs to in discovery; <c>all</c> is what <c>kubectl get all</c> lists.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}
