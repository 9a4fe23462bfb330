using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddHttpClient("jwks", c => c.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton<JwtValidator>();
        services.TryAddSingleton<ApiKeyStore>();
        services.AddSingleton<IGatewayFilterFactory, JwtAuthenticationGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, ApiKeyGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, RequireRolesGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, TokenRelayGatewayFilterFactory>();
        return services;
    }
}
