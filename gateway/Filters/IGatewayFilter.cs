using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters;

/// <summary>The rest of the chain: later filters, then the proxy to the route's upstream.</summary>
public delegate Task GatewayDelegate(HttpContext context);

/// <summary>
/// A route filter. Code before <c>await next(context)</c> is the "pre" part, code after it the "post" part
/// (Spring's <c>chain.filter(exchange).then(...)</c>); not calling <c>next</c> answers without the upstream.
/// Response headers must be changed in <see cref="HttpResponse.OnStarting(Func{Task})"/> because the body may
/// already be streaming when <c>next</c> returns.
/// </summary>
public interface IGatewayFilter
{
    Task InvokeAsync(HttpContext context, GatewayDelegate next);
}
