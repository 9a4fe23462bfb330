using System.Text.Json;

namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: gateway.platform.io/v1</c>, <c>kind: RouteFilter</c>: a named list of gateway filters an HTTPRoute
/// rule applies through an <c>ExtensionRef</c> filter (<c>{group: gateway.platform.io, kind: RouteFilter, name}</c>),
/// at that filter's place in the rule's order.
/// </summary>
public sealed record RouteFilter : Resource
{
    public RouteFilterSpec? Spec { get; init; }
}

/// <summary><c>spec</c> of a <see cref="RouteFilter"/>.</summary>
public sealed record RouteFilterSpec
{
    /// <summary>
    /// Spring Cloud Gateway filters, as a Route's <c>spec.filters</c> takes them: each a shortcut string
    /// (<c>AddRequestHeader=X-A, b</c>) or an object <c>{"name": "SetStatus", "args": {"status": "418"}}</c>.
    /// </summary>
    public IReadOnlyList<JsonElement>? Filters { get; init; }
}
