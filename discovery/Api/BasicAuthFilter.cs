using System.Security.Cryptography;
using System.Text;
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

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        return FixedEquals(decoded[..colon], _o.Username!) & FixedEquals(decoded[(colon + 1)..], _o.Password!);
    }

    private static bool FixedEquals(string a, string b) => Platform.ServiceDefaults.SecretComparison.FixedTimeEquals(a, b);
}
