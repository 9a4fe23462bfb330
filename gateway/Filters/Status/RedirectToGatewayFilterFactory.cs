using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Status;

/// <summary><c>RedirectTo=302, https://acme.org</c> (optionally <c>includeRequestParams</c>): answers without the upstream.</summary>
internal sealed class RedirectToGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RedirectTo)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var status = HttpStatusArg.Parse(args.Required("status"), "status");
        if (status is < 300 or > 399) throw new GatewayArgumentException("status", $"{status} is not a 3xx redirect status");
        var url = args.Required("url");
        if (!Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out _)) throw new GatewayArgumentException("url", $"'{url}' is not a URL");
        var includeParams = args.Bool("includeRequestParams", false);
        return new DelegateGatewayFilter((ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.Headers.Location = includeParams && ctx.Request.QueryString.HasValue
                ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" + ctx.Request.QueryString.Value![1..] : ctx.Request.QueryString.Value)
                : url;
            return Task.CompletedTask;
        });
    }
}
