using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Events;
using Platform.Contracts.Resources;
using Platform.ApiServer.Client.Events;
using Platform.Gateway.Auth;
using Platform.Gateway.Discovery;
using Platform.Gateway.Filters;
using Platform.Gateway.Ingresses;
using Platform.Gateway.Routing;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Configuration;

/// <summary>
/// What the gateway reads from the apiserver through the client kit, over one <see cref="ApiClient"/> and one informer
/// factory: Route resources, Ingresses of the gateway's IngressClasses, HTTPRoutes of its GatewayClasses' Gateways and the Services and EndpointSlices their
/// <c>lb://</c> names resolve through (<c>Gateway:Routes:ApiServerUrl</c>) and API-key Secrets
/// (<c>Gateway:Auth:ApiKeySecrets:ApiServerUrl</c>). Each is listed at start, then followed on its Kafka topic, or on
/// the apiserver's watch when no Kafka is configured.
/// </summary>
internal static class GatewayResourceRegistration
{
    private const string RoutesUrlKey = "Gateway:Routes:ApiServerUrl";
    private const string KeysUrlKey = "Gateway:Auth:ApiKeySecrets:ApiServerUrl";

    /// <param name="instance">Names this gateway's consumer group when Kafka is configured; null follows the watch.</param>
    public static IServiceCollection AddGatewayResources(this IServiceCollection services, IConfiguration configuration, string? instance)
    {
        var routes = Setting(configuration, RoutesUrlKey) is not null;
        var keys = Setting(configuration, KeysUrlKey) is not null;
        if (!routes && !keys) return services;
        var connection = Connection(configuration);
        services.AddApiClient(_ => connection);

        var source = instance is null ? InformerSource.Watch : InformerSource.Kafka;
        var ingress = new IngressOptions();
        configuration.GetSection(IngressOptions.Section).Bind(ingress);
        var endpoints = new EndpointOptions();
        configuration.GetSection(EndpointOptions.Section).Bind(endpoints);
        var followEndpoints = routes && endpoints.Enabled;
        var gatewayApi = new GatewayApi.GatewayApiOptions();
        configuration.GetSection(GatewayApi.GatewayApiOptions.Section).Bind(gatewayApi);
        var followGatewayApi = routes && gatewayApi.Enabled;
        if (instance is null)
        {
            services.AddInformerFactory();
        }
        else
        {
            var topics = new Dictionary<string, string>(StringComparer.Ordinal);
            var routesTopic = Setting(configuration, "Gateway:RoutesTopic") ?? Topics.Routes;
            if (routes) topics[routesTopic] = ResourceKinds.Route.Plural;
            // Ingresses come with the Routes: unless set, their topics share the routes topic's prefix.
            var prefix = routesTopic.EndsWith(ResourceKinds.Route.Plural, StringComparison.Ordinal) ? routesTopic[..^ResourceKinds.Route.Plural.Length] : Topics.Prefix;
            if (Setting(configuration, IngressOptions.Section + ":Topic") is null) ingress.Topic = prefix + ResourceKinds.Ingress.Plural;
            if (Setting(configuration, IngressOptions.Section + ":ClassTopic") is null) ingress.ClassTopic = prefix + ResourceKinds.IngressClass.Plural;
            if (Setting(configuration, EndpointOptions.Section + ":ServicesTopic") is null) endpoints.ServicesTopic = prefix + ResourceKinds.Service.Plural;
            if (Setting(configuration, EndpointOptions.Section + ":EndpointSlicesTopic") is null) endpoints.EndpointSlicesTopic = prefix + ResourceKinds.EndpointSlice.Plural;
            if (followEndpoints)
            {
                topics[endpoints.ServicesTopic] = ResourceKinds.Service.Plural;
                topics[endpoints.EndpointSlicesTopic] = ResourceKinds.EndpointSlice.Plural;
            }
            // API keys and Ingress and Gateway listener TLS certificates share the gateway's Secret informer.
            if (keys || (routes && ingress.Enabled) || followGatewayApi) topics[Setting(configuration, "Gateway:Auth:ApiKeySecrets:Topic") ?? Topics.Secrets] = ResourceKinds.Secret.Plural;
            if (routes && ingress.Enabled)
            {
                topics[ingress.Topic] = ResourceKinds.Ingress.Plural;
                topics[ingress.ClassTopic] = ResourceKinds.IngressClass.Plural;
            }
            // Gateway API's kinds (with RouteFilters for ExtensionRef filters, and Namespaces for listeners' selectors) on the
            // topics of the routes topic's prefix.
            if (followGatewayApi)
                foreach (var kind in new[] { ResourceKinds.GatewayClass, ResourceKinds.Gateway, ResourceKinds.HttpRoute, ResourceKinds.ReferenceGrant,
                    ResourceKinds.RouteFilter, ResourceKinds.Namespace })
                    topics[prefix + kind.Plural] = kind.Plural;
            // Every replica holds every route and key, so each is a group of its own; from the start, so nothing
            // published while the group joins is missed (the informer ignores what its list already had).
            services.AddSharedInformers($"gateway-resources-{instance}", topics, c =>
            {
                c.AutoOffsetReset = AutoOffsetReset.Earliest;
                c.CommitInterval = TimeSpan.FromSeconds(1);
            });
        }
        if (routes)
        {
            services.AddSingleton(sp => new RouteResourceSync(sp.GetRequiredService<SharedInformerFactory>(), source,
                sp.GetRequiredService<GatewayRuntime>(), sp.GetRequiredService<ILogger<RouteResourceSync>>()));
            services.AddHostedService(sp => sp.GetRequiredService<RouteResourceSync>());
            services.AddHostedService(sp => new Status.RouteStatusWriter(sp.GetRequiredService<RouteResourceSync>(), sp.GetRequiredService<GatewayRuntime>(),
                sp.GetRequiredService<RegistryReadiness>(), sp.GetRequiredService<ApiClient>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<Status.RouteStatusWriter>>()));
        }
        if (followEndpoints)
        {
            services.AddSingleton(sp => new ServiceEndpoints(sp.GetRequiredService<SharedInformerFactory>(), source, sp.GetRequiredService<GatewayRuntime>()));
            services.AddHostedService(sp => sp.GetRequiredService<ServiceEndpoints>());
        }
        if (routes && ingress.Enabled)
        {
            services.AddEventRecorder(_ => new EventRecorderOptions { Component = "gateway" });
            services.AddHostedService(sp => new IngressSync(sp.GetRequiredService<SharedInformerFactory>(), source,
                sp.GetRequiredService<GatewayRuntime>(), sp.GetService<ServiceEndpoints>(),
                sp.GetRequiredService<RegistryReadiness>(), sp.GetRequiredService<ApiClient>(), sp.GetRequiredService<EventRecorder>(), ingress,
                sp.GetRequiredService<IngressCertificates>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IngressSync>>()));
        }
        if (followGatewayApi)
        {
            services.AddGatewayFilterFactory<GatewayApi.UnresolvedRefFilterFactory>();
            services.AddRoutePredicateFactory<GatewayApi.Listeners.GatewayListenerRoutePredicateFactory>();
            services.AddHostedService(sp => new GatewayApi.GatewayApiSync(sp.GetRequiredService<SharedInformerFactory>(), source,
                sp.GetRequiredService<GatewayRuntime>(), sp.GetService<ServiceEndpoints>(), sp.GetRequiredService<ApiClient>(), gatewayApi,
                sp.GetRequiredService<IngressCertificates>(), sp.GetRequiredService<GatewayApi.Listeners.GatewayListenerPorts>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GatewayApi.GatewayApiSync>>()));
        }
        if (keys)
        {
            services.AddHostedService(sp => new ApiKeySecretSync(sp.GetRequiredService<SharedInformerFactory>(), source,
                sp.GetRequiredService<ApiKeyStore>(), sp.GetRequiredService<IOptions<AuthOptions>>()));
        }
        // Not ready before the first lists are in: a restarted replica taking traffic without its routes would answer 404.
        services.AddHealthChecks().AddInformersSynced("gateway-resources", PlatformDefaultsExtensions.ReadyTag);
        return services;
    }

    /// <summary>One client, so one apiserver and one identity: the token must be allowed to read Routes and Secrets.</summary>
    private static ApiConnection Connection(IConfiguration configuration)
    {
        var routesUrl = Setting(configuration, RoutesUrlKey);
        var keysUrl = Setting(configuration, KeysUrlKey);
        var routesToken = routesUrl is null ? null : Setting(configuration, "Gateway:Routes:Token");
        var keysToken = keysUrl is null ? null : Setting(configuration, "Gateway:Auth:ApiKeySecrets:Token");
        var errors = new List<string>();
        if (routesUrl is not null && !ApiServerEndpoints.TryParse(routesUrl, out _, out var routesError)) errors.Add($"{RoutesUrlKey}: {routesError}");
        if (keysUrl is not null && !ApiServerEndpoints.TryParse(keysUrl, out _, out var keysError)) errors.Add($"{KeysUrlKey}: {keysError}");
        if (routesUrl is not null && keysUrl is not null && !string.Equals(routesUrl.TrimEnd('/'), keysUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            errors.Add($"{RoutesUrlKey} and {KeysUrlKey}: one apiserver serves both, but they differ ('{routesUrl}', '{keysUrl}')");
        if (routesToken is not null && keysToken is not null && routesToken != keysToken)
            errors.Add("Gateway:Routes:Token and Gateway:Auth:ApiKeySecrets:Token: one token reads both Routes and Secrets, but they differ");
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        return ApiConnection.FromSetting(routesUrl ?? keysUrl!, routesToken ?? keysToken ?? Setting(configuration, "PLATFORM_ADMIN_TOKEN") ?? "",
            Setting(configuration, "Gateway:ApiServerCaFile") ?? Setting(configuration, "PLATFORM_CA_FILE"), routesUrl is null ? KeysUrlKey : RoutesUrlKey);
    }

    private static string? Setting(IConfiguration configuration, string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key];
}
