using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Storage;

/// <summary>JSON tree ⇄ typed resource. Wrong types become a 400 naming the field and the expected type.</summary>
internal static partial class ResourceCodec
{
    public static Resource Decode(ResourceKind kind, JsonObject body)
    {
        Resource r;
        try
        {
            r = (Resource)(body.Deserialize(kind.ClrType, ResourceJson.Options) ?? throw ApiProblem.BadRequest("the body is empty"));
        }
        catch (JsonException ex)
        {
            var field = FieldPath(ex.Path);
            var expected = ExpectedType().Match(ex.Message) is { Success: true } m ? Friendly(m.Groups[1].Value) : null;
            throw ApiProblem.BadRequest(field.Length == 0 ? "body" : field,
                expected is null ? ex.Message.Split(" Path:")[0] : $"wrong type, expected {expected}");
        }
        catch (InvalidOperationException ex)
        {
            throw ApiProblem.BadRequest("body", ex.Message);
        }
        return r.Metadata is null ? r with { Metadata = new ObjectMeta() } : r;
    }

    public static JsonObject Encode(Resource r) => (JsonObject)JsonSerializer.SerializeToNode(r, r.GetType(), ResourceJson.Options)!;

    /// <summary><c>$.spec.containers[0].name</c> → <c>spec.containers[0].name</c>; <c>$['a.b']</c> → <c>a.b</c>.</summary>
    private static string FieldPath(string? jsonPath) =>
        (jsonPath ?? "").TrimStart('$').TrimStart('.').Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');

    private static string Friendly(string clr) => clr switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "an integer",
        "System.String" => "a string",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "a boolean",
        _ when clr.Contains("List", StringComparison.Ordinal) => "a list",
        _ when clr.Contains("Dictionary", StringComparison.Ordinal) || clr.Contains("ResourceList", StringComparison.Ordinal) => "a map",
        _ when clr.Contains("DateTimeOffset", StringComparison.Ordinal) => "an RFC 3339 timestamp",
        _ when clr.Contains("IntOrString", StringComparison.Ordinal) => "an integer or a string",
        _ => "an object",
    };

    [GeneratedRegex("could not be converted to ([^.]+(\\.[^. ]+)*)\\. Path")]
    private static partial Regex ExpectedType();
}
