using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.EventBus;
using Platform.Gateway.Admin;
using Platform.Gateway.Auth;
using Platform.Gateway.Configuration;
using Platform.Gateway.Cors;
using Platform.Gateway.Discovery;
using Platform.Gateway.Filters;
using Platform.Gateway.GatewayApi.Listeners;
using Platform.Gateway.Ingresses;
using Platform.Gateway.LoadBalancing;
using Platform.Gateway.Predicates;
using Platform.Gateway.RateLimiting.Fleet;
using Platform.Gateway.Resilience;
using Platform.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway;

public static class GatewayHostingExtensions
{
    /// <summary>
    /// The gateway: options (<c>Gateway</c> section), predicates, filters, the YARP proxy fed by the gateway's
    /// snapshots (plus YARP's own <c>ReverseProxy</c> section), the registry client, Route resources and API-key
    /// Secrets from the apiserver and, when a Kafka bootstrap is configured, the consumers that follow them.
    /// </summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .Configure<IConfiguration>((o, c) =>
            {
                if (string.IsNullOrWhiteSpace(o.Discovery.EurekaUrl)) o.Discovery.EurekaUrl = c["EUREKA_URL"];
                if (string.IsNullOrWhiteSpace(o.Admin.Token)) o.Admin.Token = c["PLATFORM_ADMIN_TOKEN"];
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<RouteCompiler>();
        services.AddSingleton<GatewayRuntime>();
        services.AddSingleton<GatewayApiOnlyPorts>();
        services.AddSingleton<GatewayConfigProvider>();
        services.AddSingleton<ForwardDispatcher>();
        services.AddSingleton<RouteFilterRunner>();
        services.AddSingleton<UpstreamFailureReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GatewayMatcherPolicy>());
        services.AddGatewayPredicates().AddGatewayFilters().AddGatewayAuth();
        services.AddHostedService<RoutesFileWatcher>();

        var proxy = services.AddReverseProxy()
            .AddTransforms(ctx =>
            {
                ctx.AddRequestTransform(GatewayTransforms.ApplyRequest);
                ctx.AddResponseTransform(GatewayTransforms.ApplyResponse);
            });
        if (builder.Configuration.GetSection("ReverseProxy").Exists()) proxy.LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<GatewayConfigProvider>());
        services.AddSingleton<IForwarderHttpClientFactory, GatewayHttpClientFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Yarp.ReverseProxy.LoadBalancing.ILoadBalancingPolicy, WeightedLoadBalancingPolicy>());
        services.AddOptions<TransportFailureRateHealthPolicyOptions>().Configure<IOptions<GatewayOptions>>((o, g) =>
        {
            o.DefaultFailureRateLimit = g.Value.PassiveHealth.FailureRateLimit;
            o.MinimalTotalCountThreshold = g.Value.PassiveHealth.MinimalTotalCount;
            o.DetectionWindowSize = g.Value.PassiveHealth.DetectionWindow;
        });

        // With Kafka, each gateway follows the registry and the apiserver's resources in consumer groups of its own.
        string? instance = null;
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Kafka:BootstrapServers"] ?? builder.Configuration["PLATFORM_KAFKA_BOOTSTRAP"]))
        {
            instance = GatewayInstance.Id(builder.Configuration);
            services.AddEventBus();
        }
        services.AddGatewayDiscovery(builder.Configuration, instance);
        services.AddGatewayResources(builder.Configuration, instance);
        builder.AddIngressHttps();
        builder.AddGatewayListeners();
        // Last: it holds the listener until everything above has loaded (Startup/ListenerWarmup.cs).
        services.AddHostedService<Platform.Gateway.Startup.ListenerWarmup>();
        return builder;
    }

    /// <summary>
    /// The admin (actuator) API, then the proxy: gateway filters around the transparent connection retry, YARP's
    /// balancing and passive health, and the response timeout of each forwarding attempt.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var dispatcher = app.Services.GetRequiredService<ForwardDispatcher>();
        var filters = app.Services.GetRequiredService<RouteFilterRunner>();
        app.Use(next =>
        {
            dispatcher.Pipeline = next;
            return next;
        });
        app.UseMiddleware<GlobalCorsMiddleware>();
        // CONNECT asks for a tunnel, which the gateway does not open; forwarded, it could only fail upstream (a 502).
        app.Use((context, next) => HttpMethods.IsConnect(context.Request.Method)
            ? TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method Not Allowed",
                detail: "method: CONNECT (a tunnel) is not proxied").ExecuteAsync(context)
            : next(context));
        app.UseRouting();
        app.MapGatewayAdmin();
        app.MapFleetRateLimit();
        // Reached only when no route's predicates match (gateway routes are ordered before it).
        app.MapFallback("{**path}", static (HttpContext context) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
            title: "Not Found", detail: $"no gateway route matches {context.Request.Method} {context.Request.Path}"))
            .WithMetadata(GatewayMatcherPolicy.NoRouteMatched.Instance);
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<GatewayTimeoutProblemMiddleware>();
            pipeline.UseMiddleware<RequestTimeoutMiddleware>();
            pipeline.Use((context, next) =>
                GatewayRequestState.Find(context)?.Route is { } route ? filters.InvokeAsync(route, context, next) : next(context));
            pipeline.UseMiddleware<ConnectionRetryMiddleware>();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
            // After passive health, so that a timed-out attempt is reported against its instance.
            pipeline.UseMiddleware<ResponseTimeoutMiddleware>();
        });
        return app;
    }
}
