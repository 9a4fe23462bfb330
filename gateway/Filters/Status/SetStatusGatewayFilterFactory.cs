using System.Globalization;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Status;

/// <summary><c>SetStatus=UNAUTHORIZED</c> or <c>SetStatus=401</c>; the upstream's status goes to <c>X-Original-Status</c> when <c>originalStatusHeaderName</c> is set.</summary>
internal sealed class SetStatusGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SetStatus)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var status = HttpStatusArg.Parse(args.Required("status"), "status");
        var originalHeader = args.Find("originalStatusHeaderName");
        return DelegateGatewayFilter.OnResponse(ctx =>
        {
            if (originalHeader is not null) ctx.Response.Headers[originalHeader] = ctx.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            ctx.Response.StatusCode = status;
        });
    }
}
