using Microsoft.Extensions.Options;
using Platform.Connect.Configuration;
using Platform.ServiceDefaults;

namespace Platform.Connect.Api;

/// <summary>
/// HTTP Basic authentication on the REST API when <c>Connect:Username</c> and <c>Connect:Password</c> are set (as Kafka
/// Connect's BasicAuthSecurityRestExtension); the platform passes its basic user, the same as discovery's.
/// </summary>
internal sealed class ConnectAuthFilter(IOptions<ConnectOptions> options) : IEndpointFilter
{
    private readonly ConnectOptions _o = options.Value;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!_o.AuthEnabled || IsAuthorized(context.HttpContext.Request)) return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"connect\"";
        return ConnectErrorFilter.Error(StatusCodes.Status401Unauthorized, "Authorization: HTTP Basic credentials required");
    }

    private bool IsAuthorized(HttpRequest request) => BasicCredentials.Match(request, _o.Username!, _o.Password!);
}
