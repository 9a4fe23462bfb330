namespace Platform.Contracts.Routing;

/// <summary>
/// Cross-namespace grants for gateway Routes, in the spirit of Gateway API's ReferenceGrant: the owner of the thing
/// being reached writes the grant on it. One annotation, <see cref="AllowRoutesFromAnnotation"/>, a comma list of
/// namespaces or <c>*</c>:
/// on a Service, Routes of those namespaces may send traffic to it (<c>lb://NAME.NAMESPACE</c>);
/// on a Route, Routes of those namespaces may claim hosts and paths that overlap its own.
/// </summary>
public static class RouteGrants
{
    public const string AllowRoutesFromAnnotation = "gateway.platform.io/allow-routes-from";

    /// <summary>Whether a grant as written (<c>team-b, team-c</c> or <c>*</c>) lets Routes of <paramref name="ns"/> in.</summary>
    public static bool Allows(string? grant, string ns) =>
        grant is { Length: > 0 } && grant.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(g => g == "*" || string.Equals(g, ns, StringComparison.OrdinalIgnoreCase));
}
