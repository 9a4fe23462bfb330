using System.Reflection;

namespace Platform.Contracts.Routing;

/// <summary>Looks up the built-in predicates and filters a route names.</summary>
public static class ComponentSchemas
{
    /// <summary>The <see cref="ComponentSchema"/> fields of a schema class, by name.</summary>
    internal static IReadOnlyDictionary<string, ComponentSchema> Collect(Type holder) => holder
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ComponentSchema))
        .Select(f => (ComponentSchema)f.GetValue(null)!)
        .ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Checks one predicate (<paramref name="isFilter"/> false) or filter of a route; throws
    /// <see cref="GatewayArgumentException"/> (argument <c>name</c> for an unknown component).
    /// </summary>
    public static void Validate(ComponentDefinition definition, bool isFilter)
    {
        var known = isFilter ? FilterSchemas.All : PredicateSchemas.All;
        if (!known.TryGetValue(definition.Name, out var schema))
            throw new GatewayArgumentException("name", $"unknown {(isFilter ? "filter" : "predicate")} '{definition.Name}' (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))})");
        ComponentSchemaValidator.Validate(definition, schema);
    }
}
