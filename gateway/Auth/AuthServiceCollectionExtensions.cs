using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Oidc;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

internal static class AuthServiceCollectionExtensions
{
    private const string JwksHttpClient = "jwks";

    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        // A bounded timeout: an issuer that hangs must not hold requests (or the refresher) for long.
        services.AddHttpClient(JwksHttpClient, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuthOptions>>();
            var clients = sp.GetRequiredService<IHttpClientFactory>();
            return new IssuerKeys(() => KeySettings(options.Value.Jwt), () => clients.CreateClient(JwksHttpClient), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<IssuerKeysRefresher>();
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
