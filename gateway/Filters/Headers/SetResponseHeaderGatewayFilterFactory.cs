using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// <c>SetResponseHeader=X-Response-Red, Blue</c> replaces the upstream's value. The value is expanded and checked
/// before the request goes upstream, so an invalid one is a 400 rather than a failure mid-response.
/// </summary>
internal sealed class SetResponseHeaderGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SetResponseHeader)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        var value = args.Find("value") ?? "";
        HeaderTemplate.Validate(name, value);
        return new DelegateGatewayFilter((ctx, next) =>
        {
            var expanded = HeaderTemplate.Expand(ctx, name, value);
            ctx.Response.OnStarting(static s =>
            {
                var (c, n, v) = ((HttpContext, string, string))s;
                c.Response.Headers[n] = v;
                return Task.CompletedTask;
            }, (ctx, name, expanded));
            return next(ctx);
        });
    }
}
