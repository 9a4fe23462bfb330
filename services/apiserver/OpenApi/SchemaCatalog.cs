using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Platform.ApiServer.Resources.Patching;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.OpenApi;

/// <summary>
/// OpenAPI v3 component schemas of the resource types, derived from the same CLR types and JSON contract the
/// apiserver decodes manifests with (<see cref="ResourceJson.Options"/>): property names, types, required members,
/// descriptions from the types' <c>///</c> summaries, and the patch metadata of <see cref="PatchMergeKeys"/>
/// (<c>x-kubernetes-patch-merge-key</c>, <c>x-kubernetes-list-type</c>), which <c>kubectl apply</c> computes its
/// strategic merge patch from. A schema with an <c>x-kubernetes-group-version-kind</c> is a kind's root.
/// </summary>
internal sealed class SchemaCatalog(XmlDocs docs)
{
    public const string RefPrefix = "#/components/schemas/";

    private readonly Dictionary<Type, string> _names = [];

    public JsonObject Schemas { get; } = [];

    /// <summary>Adds <paramref name="kind"/>'s type (and every type it reaches) and returns its component name.</summary>
    public string AddKind(ResourceKind kind)
    {
        var name = NameOf(kind.ClrType);
        Component(kind.ClrType);
        ((JsonObject)Schemas[name]!)["x-kubernetes-group-version-kind"] = Gvk(kind.Group, kind.Version, kind.Kind);
        return name;
    }

    /// <summary>Adds a hand-written component (list and Scale shapes) and returns its name.</summary>
    public string AddComponent(string name, JsonObject schema)
    {
        Schemas[name] = schema;
        return name;
    }

    public static JsonObject Ref(string name) => new() { ["$ref"] = RefPrefix + name };

    public static JsonArray Gvk(string group, string version, string kind) =>
        [new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version }];

    /// <summary>The component of an object type, created on first use; returns a <c>$ref</c> to it.</summary>
    public JsonObject Component(Type type)
    {
        var name = NameOf(type);
        if (_names.TryAdd(type, name))
        {
            // Registered before its properties, so a type that reaches itself ends in a $ref.
            var schema = new JsonObject();
            Schemas[name] = schema;
            Fill(schema, type);
        }
        return Ref(name);
    }

    private void Fill(JsonObject schema, Type type)
    {
        if (docs.Type(type) is { Length: > 0 } description) schema["description"] = description;
        schema["type"] = "object";
        var info = ResourceJson.Options.GetTypeInfo(type);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in info.Properties.OrderBy(p => p.Order))
        {
            if (property.Get is null) continue;
            properties[property.Name] = PropertySchema(property);
            if (property.IsRequired) required.Add(property.Name);
        }
        schema["properties"] = properties;
        if (required.Count > 0) schema["required"] = required;
    }

    private JsonObject PropertySchema(JsonPropertyInfo property)
    {
        var clr = property.AttributeProvider as PropertyInfo;
        var description = clr is null ? null : docs.Property(clr);
        var schema = Schema(property.PropertyType);
        if (schema.ContainsKey("$ref") && description is not null)
            schema = new JsonObject { ["allOf"] = new JsonArray(schema), ["default"] = new JsonObject() };
        if (description is not null) schema["description"] = description;
        if (schema["type"]?.GetValue<string>() == "array" && ElementType(property.PropertyType) is { } item)
        {
            if (PatchMergeKeys.For(property.Name, item) is { } key)
            {
                schema["x-kubernetes-list-map-keys"] = new JsonArray(key);
                schema["x-kubernetes-list-type"] = "map";
                schema["x-kubernetes-patch-merge-key"] = key;
                schema["x-kubernetes-patch-strategy"] = PatchMergeKeys.Strategy(property.Name);
            }
            else if (PatchMergeKeys.IsSet(property.Name))
            {
                schema["x-kubernetes-list-type"] = "set";
                schema["x-kubernetes-patch-strategy"] = "merge";
            }
            else
            {
                schema["x-kubernetes-list-type"] = "atomic";
            }
        }
        return schema;
    }

    /// <summary>The schema of a value of <paramref name="type"/>: inline for scalars, lists and maps, a <c>$ref</c> for objects.</summary>
    private JsonObject Schema(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(Guid)) return new() { ["type"] = "string" };
        if (type == typeof(bool)) return new() { ["type"] = "boolean" };
        if (type == typeof(int) || type == typeof(short) || type == typeof(byte)) return new() { ["type"] = "integer", ["format"] = "int32" };
        if (type == typeof(long)) return new() { ["type"] = "integer", ["format"] = "int64" };
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return new() { ["type"] = "number", ["format"] = "double" };
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return new() { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
            return new() { ["x-kubernetes-preserve-unknown-fields"] = true };
        if (type == typeof(IntOrString)) return Named("IntOrString", () => new JsonObject
        {
            ["description"] = docs.Type(type) ?? "A number or a string.",
            ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            ["x-kubernetes-int-or-string"] = true,
        });
        if (type == typeof(ResourceList)) return new()
        {
            ["type"] = "object",
            ["additionalProperties"] = Named("Quantity", () => new JsonObject
            {
                ["description"] = "A quantity: a decimal number with an optional suffix, binary (Ki, Mi, Gi, Ti) or decimal (m, k, M, G, T), such as 100m, 0.5 or 128Mi.",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
            }),
        };
        if (type.IsEnum) return new() { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode?)n).ToArray()) };
        var info = ResourceJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Dictionary => new() { ["type"] = "object", ["additionalProperties"] = Schema(info.ElementType!) },
            JsonTypeInfoKind.Enumerable => new() { ["type"] = "array", ["items"] = Schema(info.ElementType!) },
            JsonTypeInfoKind.Object => Component(type),
            _ => new() { ["x-kubernetes-preserve-unknown-fields"] = true },
        };
    }

    private JsonObject Named(string name, Func<JsonObject> create)
    {
        if (!Schemas.ContainsKey(name)) Schemas[name] = create();
        return Ref(name);
    }

    private static Type? ElementType(Type type)
    {
        var info = ResourceJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
        return info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType : null;
    }

    /// <summary><c>io.platform.contracts.resources.DeploymentSpec</c>: the CLR namespace, lower-cased, and the type name (what kubectl explain shows).</summary>
    private static string NameOf(Type type) => $"io.{type.Namespace!.ToLowerInvariant()}.{type.Name}";
}
