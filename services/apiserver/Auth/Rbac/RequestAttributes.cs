namespace Platform.ApiServer.Auth.Rbac;

/// <summary>
/// What a request asks to do, in RBAC's terms (Kubernetes' <c>authorizer.Attributes</c>): a verb on a resource of an
/// API group, optionally a subresource, one object's name and a namespace; or a verb on a non-resource path.
/// </summary>
internal sealed record RequestAttributes(string Verb, string ApiGroup, string Resource, string? Subresource, string? Name, string? Namespace)
{
    /// <summary>A non-resource URL such as <c>/healthz</c>; set only for non-resource requests.</summary>
    public string? Path { get; init; }

    public bool IsResourceRequest => Path is null;

    /// <summary><c>pods</c> or <c>pods/log</c>.</summary>
    public string QualifiedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public static RequestAttributes NonResource(string verb, string path) => new(verb, "", "", null, null, null) { Path = path };

    public override string ToString()
    {
        if (!IsResourceRequest) return $"{Verb} {Path}";
        var group = ApiGroup.Length == 0 ? "" : "." + ApiGroup;
        var name = Name is null ? "" : $" \"{Name}\"";
        var where = Namespace is null ? "" : $" in namespace \"{Namespace}\"";
        return $"{Verb} {QualifiedResource}{group}{name}{where}";
    }
}
