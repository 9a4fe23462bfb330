using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Manifests.Printing;

namespace Platform.ApiServer.Api;

/// <summary>
/// Server-side printing, as kubectl asks for it (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a
/// <c>meta.k8s.io/v1</c> Table with the columns kubectl shows per kind (the <c>-o wide</c> ones at priority 1) and each
/// row's object as PartialObjectMetadata, or whole with <c>includeObject=Object</c>. The columns are platformctl's.
/// </summary>
internal static class TableOutput
{
    /// <summary>True when the Accept header asks for a Table (kubectl lists it before plain JSON, as a preference).</summary>
    public static bool Requested(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Split(',').Any(IsTableMediaType));

    private static bool IsTableMediaType(string mediaType)
    {
        var parts = mediaType.Split(';', StringSplitOptions.TrimEntries);
        return parts.Contains("as=Table") && parts.Contains("g=meta.k8s.io") && (parts.Contains("v=v1") || parts.Contains("v=v1beta1"));
    }

    public static JsonObject Build(ResourceKind kind, IEnumerable<JsonObject> objects, string? resourceVersion, string? includeObject, DateTimeOffset now)
    {
        var (all, row) = TableColumns.For(kind, wide: true, now);
        var narrow = TableColumns.For(kind, wide: false, now).Headers.Length;
        var columns = new JsonArray();
        for (var i = 0; i < all.Length; i++)
        {
            columns.Add(new JsonObject
            {
                ["name"] = all[i],
                ["type"] = "string",
                ["format"] = i == 0 && all[i] == "NAME" ? "name" : "",
                ["description"] = Description(all[i]),
                ["priority"] = i < narrow ? 0 : 1,
            });
        }
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(row(o).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["object"] = RowObject(kind, o, includeObject),
            });
        }
        var metadata = new JsonObject();
        if (resourceVersion is not null) metadata["resourceVersion"] = resourceVersion;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonNode RowObject(ResourceKind kind, JsonObject o, string? includeObject) => includeObject switch
    {
        "Object" => o.DeepClone(),
        "None" => new JsonObject(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = o["metadata"]?.DeepClone(),
        },
    };

    private static string Description(string column) => column switch
    {
        "NAME" => "Name must be unique within a namespace.",
        "AGE" => "Time since the object was created.",
        _ => string.Create(CultureInfo.InvariantCulture, $"The {column.ToLowerInvariant()} column, as kubectl prints it."),
    };
}
