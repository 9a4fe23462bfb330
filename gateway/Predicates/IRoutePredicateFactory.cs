using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Predicates;

/// <summary>Decides whether a request matches a route. Must be cheap and thread-safe.</summary>
public delegate bool RoutePredicate(HttpContext context);

/// <summary>
/// A named predicate factory (Spring's <c>RoutePredicateFactory</c>): <c>Path=/a/**</c> picks the factory named
/// <c>Path</c> and binds <c>/a/**</c> to its first <see cref="ShortcutFields"/> entry.
/// </summary>
public interface IRoutePredicateFactory
{
    string Name { get; }
    IReadOnlyList<string> ShortcutFields { get; }
    ShortcutType ShortcutType => ShortcutType.Default;
    /// <summary>
    /// The arguments' schema when the factory is a built-in one (shared with the apiserver, which checks Route
    /// resources against it); the compiler checks them before <c>Create</c>. Null for a team's own factory.
    /// </summary>
    ComponentSchema? Schema => null;
    RoutePredicate Create(ComponentArgs args, PredicateContext context);
}
