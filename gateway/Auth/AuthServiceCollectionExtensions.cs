using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Gateway.Auth.Oidc;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddHttpClient(IssuerKeys.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton<IssuerKeys>();
        services.AddHostedService<IssuerKeysRefresher>();
        services.TryAddSingleton<JwtValidator>();
        services.TryAddSingleton<ApiKeyStore>();
        services.AddSingleton<IGatewayFilterFactory, JwtAuthenticationGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, ApiKeyGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, RequireRolesGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, TokenRelayGatewayFilterFactory>();
        return services;
    }
}
