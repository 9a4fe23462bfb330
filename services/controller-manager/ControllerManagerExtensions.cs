using Platform.ApiServer.Client;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Platform.ControllerManager.Controllers;
using Platform.ControllerManager.Controllers.Deployment;
using Platform.ControllerManager.Controllers.Endpoints;
using Platform.ControllerManager.Controllers.GarbageCollector;
using Platform.ControllerManager.Controllers.NodeLifecycle;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Informers;
using Platform.EventBus;

namespace Platform.ControllerManager;

internal static class ControllerManagerExtensions
{
    /// <summary>Options, the apiserver client, the shared informers (list, then Kafka) and the controllers.</summary>
    public static WebApplicationBuilder AddControllerManager(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<ControllerManagerOptions>()
            .BindConfiguration(ControllerManagerOptions.Section)
            .PostConfigure(o => Defaults(o, config))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControllerManagerOptions>, ControllerManagerOptionsValidator>();
        services.AddEventBus();

        services.AddHttpClient(nameof(ApiClient), (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value;
            http.BaseAddress = new Uri(o.ApiServerUrl);
            http.Timeout = TimeSpan.FromSeconds(30);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        });
        services.AddSingleton(sp => new ApiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ApiClient))));
        services.AddSingleton<Informers.Informers>();
        services.AddHostedService(sp => new InformerService(sp.GetRequiredService<Informers.Informers>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ApiClient)), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<InformerService>>()));
        services.AddSingleton<EventRecorder>();
        services.AddHostedService<ReplicaSetController>();
        services.AddHostedService<DeploymentController>();
        services.AddHostedService<GarbageCollector>();
        services.AddHostedService<NodeLifecycleController>();
        services.AddHttpClient(nameof(EurekaRegistrar));
        services.AddHostedService(sp => new EndpointsController(sp.GetRequiredService<Informers.Informers>(), sp.GetRequiredService<ApiClient>(),
            sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value.EurekaUrl is { Length: > 0 } eureka
                ? new EurekaRegistrar(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EurekaRegistrar)), new Uri(eureka))
                : null,
            sp.GetRequiredService<IOptions<ControllerManagerOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EndpointsController>>()));

        var probe = new ControllerManagerOptions();
        config.GetSection(ControllerManagerOptions.Section).Bind(probe);
        services.AddSingleton(sp => new ResourceEventHandler(sp.GetRequiredService<Informers.Informers>(), probe.TopicPrefix));
        services.AddEventConsumer<ResourceEventHandler>(c =>
        {
            c.GroupId = probe.GroupId;
            foreach (var plural in new[] { "pods", "replicasets", "deployments", "nodes", "services" }) c.Topics.Add(probe.TopicPrefix + plural);
        });
        return builder;
    }

    private static void Defaults(ControllerManagerOptions o, IConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(o.ApiServerUrl)) o.ApiServerUrl = config["PLATFORM_APISERVER_URL"] ?? "http://127.0.0.1:7070";
        if (string.IsNullOrWhiteSpace(o.Token)) o.Token = config["PLATFORM_CONTROLLER_TOKEN"] ?? config["PLATFORM_ADMIN_TOKEN"] ?? "";
        if (string.IsNullOrWhiteSpace(o.EurekaUrl)) o.EurekaUrl = config["EUREKA_URL"];
    }
}
