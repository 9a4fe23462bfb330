using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters;

/// <summary>A filter from a lambda, for factories whose filter is a few lines.</summary>
public sealed class DelegateGatewayFilter(Func<HttpContext, GatewayDelegate, Task> invoke) : IGatewayFilter
{
    public Task InvokeAsync(HttpContext context, GatewayDelegate next) => invoke(context, next);

    /// <summary>A filter that only changes the request and always continues.</summary>
    public static DelegateGatewayFilter Pre(Action<HttpContext> before) => new((ctx, next) =>
    {
        before(ctx);
        return next(ctx);
    });

    /// <summary>A filter that changes the response headers just before they are sent.</summary>
    public static DelegateGatewayFilter OnResponse(Action<HttpContext> onStarting) => new((ctx, next) =>
    {
        ctx.Response.OnStarting(static s =>
        {
            var (c, a) = ((HttpContext, Action<HttpContext>))s;
            a(c);
            return Task.CompletedTask;
        }, (ctx, onStarting));
        return next(ctx);
    });
}
