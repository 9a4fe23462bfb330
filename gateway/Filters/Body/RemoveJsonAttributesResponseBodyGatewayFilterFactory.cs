using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// <c>RemoveJsonAttributesResponseBody=id,color</c> (<c>fieldList</c>, then an optional <c>deleteRecursively</c>:
/// <c>...,true</c> removes them at any depth, otherwise at the root only). The JSON answer is held (at most
/// <c>maxSize</c>, 256 KB, else 502); one that is not JSON passes unchanged.
/// </summary>
internal sealed class RemoveJsonAttributesResponseBodyGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RemoveJsonAttributesResponseBody)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var names = args.List("fieldList").ToHashSet(StringComparer.Ordinal);
        var recursive = args.Bool("deleteRecursively", false);
        var max = BodyLimit.From(args);
        return new DelegateGatewayFilter((ctx, next) => ResponseBodyRewriter.RunAsync(ctx, next, Name, max, (c, body) =>
        {
            if (c.Response.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase)) return null;
            JsonNode? node;
            try { node = JsonNode.Parse(body); }
            catch (JsonException) { return null; }
            JsonEdits.RemoveAttributes(node, names, recursive);
            return new ResponseBodyRewriter.Rewritten(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"), null);
        }));
    }
}
