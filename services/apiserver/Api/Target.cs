using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>What a request's URL addresses: a kind, an optional namespace, name and subresource.</summary>
internal sealed record Target(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    public static Target From(HttpContext ctx)
    {
        var v = ctx.Request.RouteValues;
        var group = v["group"] as string ?? "";
        var version = v["version"] as string ?? "";
        var plural = v["plural"] as string ?? "";
        var ns = v["namespace"] as string;
        var name = v["name"] as string;
        var sub = v["subresource"] as string;
        // /api/v1/namespaces/{name}/status shares its shape with /api/v1/namespaces/{namespace}/{plural}.
        if (ns is not null && name is null && plural is "status" && group.Length == 0)
            return new Target(ResourceKinds.Namespace, null, ns, plural);
        var kind = ResourceKinds.ByPath(group, version, plural)
            ?? throw ApiProblem.NotFound($"the server could not find the requested resource: '{plural}' is not served at " +
                (group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}") +
                $" (served: {string.Join(", ", ResourceKinds.All.Select(k => $"{k.ApiVersion} {k.Plural}"))})");
        if (ns is not null && !kind.Namespaced)
            throw ApiProblem.NotFound($"{kind.Plural} are cluster-scoped: use {kind.CollectionPath(null)}");
        if (ns is null && name is not null && kind.Namespaced)
            throw ApiProblem.NotFound($"{kind.Plural} are namespaced: use {kind.ApiPrefix}/namespaces/{{namespace}}/{kind.Plural}/{name}");
        if (ns is not null && !Contracts.Resources.LabelNames.IsDns1123Label(ns))
            throw ApiProblem.NotFound($"namespaces \"{Truncate(ns)}\" not found (not a valid namespace name)");
        if (name is not null && (name.Length > 253 || name.Length == 0))
            throw ApiProblem.NotFound($"{kind.Plural} \"{Truncate(name)}\" not found (names are at most 253 characters)");
        if (sub is not null && !kind.HasSubresource(sub))
            throw ApiProblem.NotFound($"{kind.Plural} have no subresource '{Truncate(sub)}'" + (kind.Subresources.Count > 0 ? $" (they have: {string.Join(", ", kind.Subresources)})" : ""));
        return new Target(kind, ns, name, sub);
    }

    private static string Truncate(string s) => s.Length > 64 ? s[..64] + "..." : s;
}
