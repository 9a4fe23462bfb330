namespace Platform.Gateway.Predicates;

/// <summary>A predicate the gateway ships, named and checked by its schema in <see cref="PredicateSchemas"/> (shared with the apiserver).</summary>
internal abstract class BuiltInPredicateFactory(ComponentSchema schema) : IRoutePredicateFactory
{
    public ComponentSchema Schema => schema;
    public string Name => schema.Name;
    public IReadOnlyList<string> ShortcutFields => schema.ShortcutFields;
    public ShortcutType ShortcutType => schema.ShortcutType;

    public abstract RoutePredicate Create(ComponentArgs args, PredicateContext context);
}
