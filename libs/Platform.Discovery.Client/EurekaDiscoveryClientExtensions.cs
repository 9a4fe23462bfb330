using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Registration;
using Platform.Discovery.Client.Registry;
using Platform.Discovery.Client.ServiceDiscovery;
using Platform.Discovery.Client.Transport;

namespace Platform.Discovery.Client;

public static class EurekaDiscoveryClientExtensions
{
    /// <summary>
    /// Registers this application with Eureka (Steeltoe's configuration keys), keeps a copy of the registry, and
    /// makes HttpClients built with <c>AddServiceDiscovery()</c> resolve <c>http://app-name/</c> through it.
    /// Same name as Steeltoe's extension so switching is a package reference change.
    /// </summary>
    public static IServiceCollection AddEurekaDiscoveryClient(this IServiceCollection services)
    {
        services.AddEurekaRegistration();
        services.AddHostedService<RegistryFetchService>();

        // Eureka first: the pass-through provider only answers when no earlier provider found an endpoint.
        services.AddServiceDiscoveryCore();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, EurekaServiceEndpointProviderFactory>());
        services.AddConfigurationServiceEndpointProvider();
        services.AddPassThroughServiceEndpointProvider();
        return services;
    }

    /// <summary>
    /// The copy of the registry (<see cref="AddEurekaRegistryClient"/>) and this application's registration
    /// (<c>eureka:instance</c> options; registered once the server listens, renewed, deregistered on shutdown), without
    /// the periodic fetch: for a process that refreshes its copy itself and is also one of the instances, as a gateway
    /// replica is.
    /// </summary>
    public static IServiceCollection AddEurekaRegistration(this IServiceCollection services)
    {
        services.AddEurekaRegistryClient();
        services.AddOptions<EurekaInstanceOptions>().BindConfiguration(EurekaInstanceOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EurekaInstanceOptions>, EurekaOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EurekaInstanceOptions>, EurekaInstanceOptionsValidator>());
        services.TryAddSingleton<RegistrationInfoFactory>();
        services.AddHostedService<EurekaRegistrationService>();
        return services;
    }

    /// <summary>
    /// Only the copy of the registry (<see cref="IDiscoveryClient"/>, <c>eureka:client</c> options): no registration,
    /// no periodic fetch, no HttpClient resolution. For a process that decides itself when to refresh and applies
    /// registry events in between, as the gateway does.
    /// </summary>
    public static IServiceCollection AddEurekaRegistryClient(this IServiceCollection services)
    {
        services.AddOptions<EurekaClientOptions>().BindConfiguration(EurekaClientOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EurekaClientOptions>, EurekaOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EurekaClientOptions>, EurekaClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(EurekaHttpClient.HttpClientName);
        services.TryAddSingleton<EurekaHttpClient>();
        services.TryAddSingleton<EurekaRegistryCache>();
        services.TryAddSingleton<IDiscoveryClient>(sp => sp.GetRequiredService<EurekaRegistryCache>());
        return services;
    }
}
