using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>RewriteResponseHeader=X-Response-Red, password=[^&amp;]+, password=***</c>.</summary>
internal sealed class RewriteResponseHeaderGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "RewriteResponseHeader";
    public IReadOnlyList<string> ShortcutFields { get; } = ["name", "regexp", "replacement"];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var regex = SpringRegex.Create(args, "regexp");
        var replacement = SpringRegex.Replacement(args.Find("replacement") ?? "");
        return DelegateGatewayFilter.OnResponse(ctx =>
        {
            if (ctx.Response.Headers.TryGetValue(name, out var values))
                ctx.Response.Headers[name] = new StringValues(values.Select(v => v is null ? v : regex.Replace(v, replacement)).ToArray());
        });
    }
}
