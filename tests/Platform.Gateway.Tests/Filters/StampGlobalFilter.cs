using Microsoft.AspNetCore.Http;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Tests.Filters;

/// <summary>A global filter registered by a team: stamps every proxied request.</summary>
public sealed class StampGlobalFilter : IGlobalFilter
{
    public int Order => -1;

    public Task InvokeAsync(HttpContext context, GatewayDelegate next)
    {
        context.Request.Headers["X-Stamp"] = "stamped";
        return next(context);
    }
}
