using Microsoft.Extensions.Options;
using Platform.Discovery.Configuration;

namespace Platform.Discovery.Api;

/// <summary>
/// Requires HTTP Basic credentials on the mutating Eureka endpoints when <c>Eureka:Server:Username</c> and
/// <c>Password</c> are set. Eureka clients send them from the user info of their service URL.
/// </summary>
internal sealed class BasicAuthFilter(IOptions<EurekaServerOptions> options) : IEndpointFilter
{
    private readonly EurekaServerOptions _o = options.Value;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!_o.AuthEnabled || IsAuthorized(context.HttpContext.Request)) return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"eureka\"";
        return TypedResults.Problem(title: "Unauthorized", detail: "Authorization: HTTP Basic credentials required",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    private bool IsAuthorized(HttpRequest request) => Platform.ServiceDefaults.BasicCredentials.Match(request, _o.Username!, _o.Password!);
}
