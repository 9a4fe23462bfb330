using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Filters;

/// <summary>
/// A filter around every route (Spring's <c>GlobalFilter</c>), registered with
/// <c>services.AddGlobalFilter&lt;T&gt;()</c>. Runs in <see cref="Order"/> together with the route's filters,
/// which take orders 1, 2, 3 ... in the order written, so a negative order runs before all of them.
/// </summary>
public interface IGlobalFilter
{
    int Order { get; }
    Task InvokeAsync(HttpContext context, GatewayDelegate next);
}
