using Platform.Gateway.Configuration;
using Platform.Gateway.Filters.Headers;

namespace Platform.Gateway.Filters.Path;

/// <summary>
/// <c>RewritePath=/red/?(?&lt;segment&gt;.*), /$\{segment}</c>. A match that runs past <c>Gateway:RegexTimeout</c>
/// throws <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/>, which the route's filter runner answers with a 400.
/// </summary>
internal sealed class RewritePathGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RewritePath)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var regex = SpringRegex.Create(args, "regexp", context.RegexTimeout);
        var replacement = SpringRegex.Replacement(args.Find("replacement") ?? "");
        return DelegateGatewayFilter.Pre(ctx =>
        {
            var rewritten = regex.Replace(ctx.Request.Path.Value ?? "/", replacement);
            ctx.Request.Path = rewritten.StartsWith('/') ? rewritten : "/" + rewritten;
        });
    }
}
