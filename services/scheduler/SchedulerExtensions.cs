using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.Contracts.Resources;
using Platform.EventBus;
using Platform.Scheduler.Informers;
using Platform.Scheduler.Leader;
using Platform.Scheduler.Queue;
using Platform.Scheduler.Recording;
using Platform.ServiceDefaults;

namespace Platform.Scheduler;

/// <summary>The scheduler's host, public so a test host can run the same scheduler as <c>Program.cs</c>.</summary>
public static class SchedulerExtensions
{
    /// <summary>The cache, queue, plugins and profile, the shared informers (list, then Kafka), the scheduling loop, event recording and leader election.</summary>
    public static WebApplicationBuilder AddScheduler(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.ApiServerUrl)) o.ApiServerUrl = config["PLATFORM_APISERVER_URL"] ?? "http://127.0.0.1:7070";
                if (string.IsNullOrWhiteSpace(o.ApiServerCaFile)) o.ApiServerCaFile = config["PLATFORM_CA_FILE"];
                if (string.IsNullOrWhiteSpace(o.Token)) o.Token = config["PLATFORM_SCHEDULER_TOKEN"] ?? config["PLATFORM_ADMIN_TOKEN"] ?? "";
                if (string.IsNullOrWhiteSpace(o.LeaderElection.ConnectionString))
                    o.LeaderElection.ConnectionString = config.GetConnectionString("Platform") ?? config["PLATFORM_DATABASE_URL"];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SchedulerOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<SchedulerOptions>().LeaderElection);

        services.AddSchedulerFramework(InTreePlugins.Registry);

        services.AddApiClient(sp =>
        {
            var o = sp.GetRequiredService<SchedulerOptions>();
            return ApiConnection.FromSetting(o.ApiServerUrl, o.Token, o.ApiServerCaFile, "Scheduler:ApiServerUrl");
        });
        services.AddEventBus();
        var prefix = config[$"{SchedulerOptions.Section}:{nameof(SchedulerOptions.TopicPrefix)}"] ?? Platform.Contracts.Events.Topics.Prefix;
        var group = config[$"{SchedulerOptions.Section}:{nameof(SchedulerOptions.ConsumerGroup)}"];
        if (string.IsNullOrWhiteSpace(group))
        {
            group = $"scheduler-{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid():N}";
            builder.Configuration[$"{SchedulerOptions.Section}:{nameof(SchedulerOptions.ConsumerGroup)}"] = group;
        }
        // A fresh group replays the topics from the start; events the list already covers are skipped by resourceVersion.
        services.AddSharedInformers(group, prefix, [ResourceKinds.Pod.Plural, ResourceKinds.Node.Plural,
            ResourceKinds.PersistentVolumeClaim.Plural, ResourceKinds.PersistentVolume.Plural, ResourceKinds.StorageClass.Plural,
            ResourceKinds.PodDisruptionBudget.Plural]);
        services.AddSingleton<ClusterEvents>();
        services.AddSingleton<Plugins.VolumeBinding.IVolumeLister, Plugins.VolumeBinding.InformerVolumeLister>();
        services.AddSingleton<Plugins.DefaultPreemption.IBudgetLister, Plugins.DefaultPreemption.InformerBudgetLister>();
        services.AddSingleton<Plugins.DefaultPreemption.Preemptor>();
        services.AddEventRecorder(sp =>
        {
            var o = sp.GetRequiredService<SchedulerOptions>();
            return new EventRecorderOptions { Component = o.SchedulerName, QueueCapacity = o.EventQueueCapacity, Concurrency = o.EventConcurrency };
        });

        services.AddSingleton<SchedulerMetrics>();
        services.AddSingleton<Plugins.DefaultBinder.BindingBatcher>();
        services.AddSingleton<OutcomeRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<OutcomeRecorder>());
        services.AddSingleton<LeaderElector>();
        services.AddSingleton<ILeaderGate>(sp => sp.GetRequiredService<LeaderElector>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElector>());
        services.AddSingleton<SchedulingLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulingLoop>());
        services.AddHealthChecks().AddCheck<SchedulerReadiness>("scheduler", tags: [PlatformDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
