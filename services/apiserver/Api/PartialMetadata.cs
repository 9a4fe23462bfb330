using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Api;

/// <summary>
/// client-go's metadata client (what metadata informers use): <c>Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1</c>
/// on a list, <c>as=PartialObjectMetadata</c> on a get or a watch, answered with each object's <c>metadata</c> only —
/// enough to count or find objects without reading their data (the quota controller counts Secrets this way).
/// </summary>
internal static class PartialMetadata
{
    public const string ApiVersion = "meta.k8s.io/v1";

    /// <summary>True when the Accept header asks for <paramref name="kind"/> (<c>PartialObjectMetadata</c> or <c>PartialObjectMetadataList</c>).</summary>
    public static bool Requested(HttpRequest request, string kind) =>
        request.Headers.Accept.Any(a => a is not null && a.Split(',').Any(m =>
        {
            var parts = m.Split(';', StringSplitOptions.TrimEntries);
            return parts.Contains("as=" + kind) && parts.Contains("g=meta.k8s.io") && (parts.Contains("v=v1") || parts.Contains("v=v1beta1"));
        }));

    public static bool ListRequested(HttpRequest request) => Requested(request, "PartialObjectMetadataList");

    public static bool ObjectRequested(HttpRequest request) => Requested(request, "PartialObjectMetadata");

    /// <summary>The <c>PartialObjectMetadata</c> of an object's JSON.</summary>
    public static string Of(string json) => new JsonObject
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "PartialObjectMetadata",
        ["metadata"] = JsonNode.Parse(json)?["metadata"]?.DeepClone(),
    }.ToJsonString();

    public static string ListOf(IReadOnlyList<string> items, long resourceVersion)
    {
        var json = new StringBuilder(128 + items.Sum(i => i.Length / 2));
        json.Append(CultureInfo.InvariantCulture, $"{{\"apiVersion\":\"{ApiVersion}\",\"kind\":\"PartialObjectMetadataList\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\"}},\"items\":[");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) json.Append(',');
            json.Append(Of(items[i]));
        }
        return json.Append("]}").ToString();
    }
}
