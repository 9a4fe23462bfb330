using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Oidc;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddIssuerKeys("jwks", sp => KeySettings(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Jwt));
        services.TryAddSingleton<JwtValidator>();
        services.TryAddSingleton<ApiKeyStore>();
        services.AddSingleton<IGatewayFilterFactory, JwtAuthenticationGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, ApiKeyGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, RequireRolesGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, TokenRelayGatewayFilterFactory>();
        return services;
    }

    private static IssuerKeysSettings KeySettings(AuthOptions.JwtSettings jwt) =>
        new(jwt.Authority, jwt.JwksUrl, jwt.RequireHttpsMetadata, jwt.JwksRefreshInterval, jwt.JwksMinRefreshInterval, AuthOptions.Section + ":Jwt");
}
