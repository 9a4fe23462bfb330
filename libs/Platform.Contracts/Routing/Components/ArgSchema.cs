namespace Platform.Contracts.Routing;

/// <summary>
/// One argument of a route predicate or filter: its Spring name, the other names accepted for it
/// (<see cref="Aliases"/>), what it must parse as, and whether it must be given.
/// </summary>
public sealed record ArgSchema(string Name, ArgKind Kind = ArgKind.Text, bool Required = false)
{
    /// <summary>Other names bound to this argument (Spring renamed some: <c>pattern</c>/<c>patterns</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>The allowed values of an <see cref="ArgKind.Choice"/>.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
    /// <summary>The least value of an <see cref="ArgKind.Integer"/>.</summary>
    public int Min { get; init; } = int.MinValue;

    /// <summary>Every name this argument is given by, <see cref="Name"/> first.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);
}
