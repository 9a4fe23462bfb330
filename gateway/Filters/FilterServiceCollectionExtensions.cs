using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Gateway.Filters.Body;
using Platform.Gateway.Filters.Caching;
using Platform.Gateway.Filters.Destination;
using Platform.Gateway.Filters.Grpc;
using Platform.Gateway.Filters.Headers;
using Platform.Gateway.Filters.Path;
using Platform.Gateway.Filters.Query;
using Platform.Gateway.Filters.Samples;
using Platform.Gateway.Filters.Status;
using Platform.Gateway.Predicates;
using Platform.Gateway.RateLimiting;
using Platform.Gateway.RateLimiting.Fleet;
using Platform.Gateway.Resilience;

namespace Platform.Gateway.Filters;

/// <summary>Registration of predicates and filters; a team adds its own with <see cref="AddGatewayFilterFactory{T}"/>.</summary>
public static class FilterServiceCollectionExtensions
{
    /// <summary>Registers a filter factory (usually a <see cref="GatewayFilterFactory{TConfig}"/>) under its <c>Name</c>.</summary>
    public static IServiceCollection AddGatewayFilterFactory<T>(this IServiceCollection services) where T : class, IGatewayFilterFactory
    {
        services.AddSingleton<IGatewayFilterFactory, T>();
        return services;
    }

    /// <summary>Registers a filter that runs around every route.</summary>
    public static IServiceCollection AddGlobalFilter<T>(this IServiceCollection services) where T : class, IGlobalFilter
    {
        services.AddSingleton<IGlobalFilter, T>();
        return services;
    }

    /// <summary>Registers a predicate factory under its <c>Name</c>.</summary>
    public static IServiceCollection AddRoutePredicateFactory<T>(this IServiceCollection services) where T : class, IRoutePredicateFactory
    {
        services.AddSingleton<IRoutePredicateFactory, T>();
        return services;
    }

    internal static IServiceCollection AddGatewayPredicates(this IServiceCollection services) => services
        .AddRoutePredicateFactory<PathRoutePredicateFactory>()
        .AddRoutePredicateFactory<PathRegexRoutePredicateFactory>()
        .AddRoutePredicateFactory<HostRoutePredicateFactory>()
        .AddRoutePredicateFactory<MethodRoutePredicateFactory>()
        .AddRoutePredicateFactory<HeaderRoutePredicateFactory>()
        .AddRoutePredicateFactory<QueryRoutePredicateFactory>()
        .AddRoutePredicateFactory<CookieRoutePredicateFactory>()
        .AddRoutePredicateFactory<AfterRoutePredicateFactory>()
        .AddRoutePredicateFactory<BeforeRoutePredicateFactory>()
        .AddRoutePredicateFactory<BetweenRoutePredicateFactory>()
        .AddRoutePredicateFactory<RemoteAddrRoutePredicateFactory>()
        .AddRoutePredicateFactory<XForwardedRemoteAddrRoutePredicateFactory>()
        .AddRoutePredicateFactory<WeightRoutePredicateFactory>();

    internal static IServiceCollection AddGatewayFilters(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGlobalFilter, RouteMetricsFilter>());
        services.TryAddSingleton<RateLimiting.RateLimitBuckets>();
        services.AddGatewayFleetRateLimiting();
        return services
            .AddGatewayFilterFactory<AddRequestHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<AddRequestHeadersIfNotPresentGatewayFilterFactory>()
            .AddGatewayFilterFactory<AddRequestParameterGatewayFilterFactory>()
            .AddGatewayFilterFactory<AddResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<RemoveRequestHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<RemoveResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetRequestHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<RewriteResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<DedupeResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<MapRequestHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<PreserveHostHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<SecureHeadersGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetRequestHostHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<RewriteLocationResponseHeaderGatewayFilterFactory>()
            .AddGatewayFilterFactory<RemoveRequestParameterGatewayFilterFactory>()
            .AddGatewayFilterFactory<RewriteRequestParameterGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetRequestUriGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestHeaderToRequestUriGatewayFilterFactory>()
            .AddGatewayFilterFactory<CacheRequestBodyGatewayFilterFactory>()
            .AddGatewayFilterFactory<ModifyRequestBodyGatewayFilterFactory>()
            .AddGatewayFilterFactory<ModifyResponseBodyGatewayFilterFactory>()
            .AddGatewayFilterFactory<RemoveJsonAttributesResponseBodyGatewayFilterFactory>()
            .AddGatewayFilterFactory<JsonToGrpcGatewayFilterFactory>()
            .AddGatewayFilterFactory<StripPrefixGatewayFilterFactory>()
            .AddGatewayFilterFactory<PrefixPathGatewayFilterFactory>()
            .AddGatewayFilterFactory<RewritePathGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetPathGatewayFilterFactory>()
            .AddGatewayFilterFactory<SetStatusGatewayFilterFactory>()
            .AddGatewayFilterFactory<RedirectToGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestRedirectGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestMirrorGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestSizeGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestHeaderSizeGatewayFilterFactory>()
            .AddGatewayFilterFactory<RequestRateLimiterGatewayFilterFactory>()
            .AddGatewayFilterFactory<RetryGatewayFilterFactory>()
            .AddGatewayFilterFactory<CircuitBreakerGatewayFilterFactory>()
            .AddGatewayFilterFactory<FallbackHeadersGatewayFilterFactory>()
            .AddGatewayFilterFactory<LocalResponseCacheGatewayFilterFactory>()
            .AddGatewayFilterFactory<CustomFilter>()
            .AddGatewayFilterFactory<LoggingFilter>()
            .AddGatewayFilterFactory<GlobalFilter>();
    }
}
