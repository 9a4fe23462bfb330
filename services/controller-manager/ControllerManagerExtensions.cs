using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Microsoft.Extensions.Options;
using Platform.ControllerManager.Controllers;
using Platform.ControllerManager.Controllers.Deployment;
using Platform.ControllerManager.Controllers.DaemonSet;
using Platform.ControllerManager.Controllers.StatefulSet;
using Platform.ControllerManager.Controllers.Endpoints;
using Platform.ControllerManager.Controllers.EndpointSlice;
using Platform.ControllerManager.Controllers.GarbageCollector;
using Platform.ControllerManager.Controllers.Job;
using Platform.ControllerManager.Controllers.CronJob;
using Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;
using Platform.ControllerManager.Controllers.Kafka;
using Platform.ControllerManager.Controllers.NodeIpam;
using Platform.ControllerManager.Controllers.NodeLifecycle;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.ControllerManager.Controllers.ResourceQuota;
using Platform.ControllerManager.Controllers.ServiceAccounts;
using Platform.ControllerManager.Controllers.ServiceLoadBalancer;
using Platform.ControllerManager.Controllers.PersistentVolume;
using Platform.ControllerManager.Controllers.ClusterRoleAggregation;
using Platform.ControllerManager.Informers;
using Platform.ControllerManager.Leader;
using Platform.EventBus;
using Platform.ServiceDefaults;

namespace Platform.ControllerManager;

internal static class ControllerManagerExtensions
{
    /// <summary>Options, the apiserver client, the shared informers (list, then Kafka) and the controllers.</summary>
    public static WebApplicationBuilder AddControllerManager(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var groupKey = $"{ControllerManagerOptions.Section}:{nameof(ControllerManagerOptions.GroupId)}";
        if (string.IsNullOrWhiteSpace(config[groupKey]))
            builder.Configuration[groupKey] = $"controller-manager-{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var identityKey = $"{ControllerManagerOptions.Section}:{nameof(ControllerManagerOptions.LeaderElection)}:{nameof(LeaderElectionOptions.Identity)}";
        if (string.IsNullOrWhiteSpace(config[identityKey])) builder.Configuration[identityKey] = LeaderElector.NewIdentity();
        services.AddOptions<ControllerManagerOptions>()
            .BindConfiguration(ControllerManagerOptions.Section)
            .PostConfigure(o => Defaults(o, config))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControllerManagerOptions>, ControllerManagerOptionsValidator>();
        services.AddEventBus();

        services.AddApiClient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value;
            return ApiConnection.FromSetting(o.ApiServerUrl, o.Token, o.ApiServerCaFile, "ControllerManager:ApiServerUrl");
        });
        var probe = new ControllerManagerOptions();
        config.GetSection(ControllerManagerOptions.Section).Bind(probe);
        services.AddSharedInformers(probe.GroupId, probe.TopicPrefix, ClusterInformers.Kinds.Select(k => k.Plural));
        services.AddSingleton<ClusterInformers>();
        services.AddEventRecorder(_ => new EventRecorderOptions { Component = "controller-manager" });
        services.AddLeaderScoped<ReplicaSetController>();
        services.AddLeaderScoped<DeploymentController>();
        services.AddLeaderScoped<DaemonSetController>();
        services.AddLeaderScoped<StatefulSetController>();
        services.AddLeaderScoped<GarbageCollector>();
        services.AddLeaderScoped<NodeLifecycleController>();
        services.AddLeaderScoped<NodeIpamController>();
        services.AddLeaderScoped<ServiceAccountsController>();
        services.AddLeaderScoped<ClusterRoleAggregationController>();
        services.AddLeaderScoped<ResourceQuotaController>();
        services.AddLeaderScoped<EndpointSliceController>();
        services.AddLeaderScoped<ServiceLoadBalancerController>();
        services.AddLeaderScoped<VolumeBinder>();
        services.AddLeaderScoped<ClaimProtectionController>();
        services.AddLeaderScoped<JobController>();
        services.AddLeaderScoped<CronJobController>();
        services.AddLeaderScoped<Controllers.Disruption.DisruptionController>();
        services.AddLeaderScoped<HorizontalPodAutoscalerController>();
        services.AddSingleton<ITopicBroker, AdminClientTopicBroker>();
        services.AddLeaderScoped<KafkaTopicController>();
        services.AddHttpClient(nameof(ConnectRestClient));
        services.AddLeaderScoped(sp => ActivatorUtilities.CreateInstance<KafkaConnectorController>(sp,
            [.. ConnectClient(sp) is { } connect ? new object[] { connect } : []]));
        services.AddHttpClient(nameof(EurekaRegistrar));
        services.AddLeaderScoped(sp => new EndpointsController(sp.GetRequiredService<ClusterInformers>(), sp.GetRequiredService<ApiClient>(),
            Platform.Discovery.Client.Transport.EurekaServers.TryParse(sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value.EurekaUrl, out var eureka, out _)
                ? new EurekaRegistrar(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EurekaRegistrar)), eureka!, sp.GetRequiredService<ILogger<EurekaRegistrar>>())
                : null,
            sp.GetRequiredService<IOptions<ControllerManagerOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EndpointsController>>()));

        // Only the elected leader runs the controllers above; every instance keeps its informers warm for a fast takeover.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value.LeaderElection);
        services.AddSingleton(sp => new LeaseLock(sp.GetRequiredService<ApiClient>(), sp.GetRequiredService<LeaderElectionOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LeaderElector>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElector>());
        services.AddHealthChecks().AddCheck<ControllerManagerReadiness>("leader-election", tags: [PlatformDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>Registers <typeparamref name="T"/> as a controller that <see cref="LeaderElector"/> runs while this process leads.</summary>
    private static void AddLeaderScoped<T>(this IServiceCollection services) where T : BackgroundService
    {
        services.AddSingleton<T>();
        services.AddSingleton(sp => new LeaderScoped(sp.GetRequiredService<T>()));
    }

    private static void AddLeaderScoped<T>(this IServiceCollection services, Func<IServiceProvider, T> create) where T : BackgroundService
    {
        services.AddSingleton(create);
        services.AddSingleton(sp => new LeaderScoped(sp.GetRequiredService<T>()));
    }

    /// <summary>The Connect REST client when <c>ControllerManager:ConnectUrl</c> is set.</summary>
    private static ConnectRestClient? ConnectClient(IServiceProvider sp)
    {
        if (sp.GetRequiredService<IOptions<ControllerManagerOptions>>().Value.ConnectUrl is not { Length: > 0 } url) return null;
        var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ConnectRestClient));
        ConnectRestClient.Configure(http, url);
        return new ConnectRestClient(http);
    }

    private static void Defaults(ControllerManagerOptions o, IConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(o.ApiServerUrl)) o.ApiServerUrl = config["PLATFORM_APISERVER_URL"] ?? "http://127.0.0.1:7070";
        if (string.IsNullOrWhiteSpace(o.ApiServerCaFile)) o.ApiServerCaFile = config["PLATFORM_CA_FILE"];
        if (string.IsNullOrWhiteSpace(o.Token)) o.Token = config["PLATFORM_CONTROLLER_TOKEN"] ?? config["PLATFORM_ADMIN_TOKEN"] ?? "";
        if (string.IsNullOrWhiteSpace(o.EurekaUrl)) o.EurekaUrl = config["EUREKA_URL"];
        if (string.IsNullOrWhiteSpace(o.ConnectUrl)) o.ConnectUrl = config["CONNECT_URL"];
    }
}
