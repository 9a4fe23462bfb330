using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.EventBus;
using Platform.Gateway.Filters;

namespace Platform.Gateway.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).Configure<IConfiguration>((o, c) =>
        {
            if (string.IsNullOrWhiteSpace(o.ApiKeySecrets.Token)) o.ApiKeySecrets.Token = c["PLATFORM_ADMIN_TOKEN"];
        });
        services.AddHttpClient<ApiKeySecretClient>(c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddHostedService<ApiKeySecretSync>();
        services.AddHttpClient("jwks", c => c.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton<JwtValidator>();
        services.TryAddSingleton<ApiKeyStore>();
        services.AddSingleton<IGatewayFilterFactory, JwtAuthenticationGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, ApiKeyGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, RequireRolesGatewayFilterFactory>();
        services.AddSingleton<IGatewayFilterFactory, TokenRelayGatewayFilterFactory>();
        return services;
    }

    /// <summary>Follows Secret changes when API keys come from the apiserver and Kafka is configured.</summary>
    public static IServiceCollection AddApiKeySecretEvents(this IServiceCollection services, IConfiguration configuration, string instance)
    {
        if (string.IsNullOrWhiteSpace(configuration["Gateway:Auth:ApiKeySecrets:ApiServerUrl"])) return services;
        var topic = configuration["Gateway:Auth:ApiKeySecrets:Topic"] is { Length: > 0 } t ? t : Platform.Contracts.Events.Topics.Secrets;
        services.AddEventConsumer<SecretEventHandler>(o =>
        {
            o.GroupId = $"gateway-secrets-{instance}";
            o.Topics.Add(topic);
            // From the start: a change published while this group was joining must not be missed; replays are idempotent.
            o.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest;
        });
        return services;
    }
}
