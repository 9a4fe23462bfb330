using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters;

/// <summary>
/// A named filter factory (Spring's <c>GatewayFilterFactory</c>): <c>AddRequestHeader=a, b</c> picks the factory
/// named <c>AddRequestHeader</c> and binds <c>a</c>, <c>b</c> to its <see cref="ShortcutFields"/>.
/// Register one with <c>services.AddGatewayFilterFactory&lt;T&gt;()</c>.
/// </summary>
public interface IGatewayFilterFactory
{
    string Name { get; }
    IReadOnlyList<string> ShortcutFields { get; }
    ShortcutType ShortcutType => ShortcutType.Default;
    /// <summary>
    /// The arguments' schema when the factory is a built-in one (shared with the apiserver, which checks Route
    /// resources against it); the compiler checks them before <c>Create</c>. Null for a team's own factory.
    /// </summary>
    ComponentSchema? Schema => null;
    /// <summary>Builds the filter for one route; throws <see cref="GatewayArgumentException"/> for a bad argument.</summary>
    IGatewayFilter Create(ComponentArgs args, FilterContext context);
}
