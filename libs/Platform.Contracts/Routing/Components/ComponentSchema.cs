namespace Platform.Contracts.Routing;

/// <summary>
/// A route predicate or filter as a user writes it: its name, the fields its shortcut form's values bind to (in
/// Spring's order) and how, and its arguments. The gateway's built-in factories take their name and shortcut from
/// here, and both the gateway (when it compiles a route) and the apiserver (when a Route is written) check arguments
/// against it, so a Route the apiserver admits is one the gateway builds.
/// </summary>
public sealed record ComponentSchema(string Name, IReadOnlyList<string> ShortcutFields, IReadOnlyList<ArgSchema> Args)
{
    /// <summary>How positional shortcut values map to <see cref="ShortcutFields"/>.</summary>
    public ShortcutType ShortcutType { get; init; } = ShortcutType.Default;

    /// <summary>Argument groups given by prefix (<c>backoff.</c>, <c>set.</c>): any key under them is accepted.</summary>
    public IReadOnlyList<string> ArgPrefixes { get; init; } = [];

    /// <summary>The argument a key names, or null (relaxed binding: case, dashes and underscores ignored).</summary>
    public ArgSchema? Find(string key)
    {
        var k = ComponentArgs.Normalize(key);
        return Args.FirstOrDefault(a => a.Names.Any(n => ComponentArgs.Normalize(n) == k));
    }

    /// <summary>Whether a key is one of <see cref="Args"/> or under one of <see cref="ArgPrefixes"/>.</summary>
    public bool Accepts(string key) =>
        Find(key) is not null || ArgPrefixes.Any(p => ComponentArgs.Normalize(key).StartsWith(ComponentArgs.Normalize(p), StringComparison.Ordinal));
}
