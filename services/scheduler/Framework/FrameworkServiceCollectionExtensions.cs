using Platform.Scheduler.Plugins.BalancedAllocation;
using Platform.Scheduler.Plugins.DefaultBinder;
using Platform.Scheduler.Plugins.InterPodAffinity;
using Platform.Scheduler.Plugins.NodeAffinity;
using Platform.Scheduler.Plugins.NodeName;
using Platform.Scheduler.Plugins.NodePorts;
using Platform.Scheduler.Plugins.NodeResourcesFit;
using Platform.Scheduler.Plugins.NodeUnschedulable;
using Platform.Scheduler.Plugins.PodTopologySpread;
using Platform.Scheduler.Plugins.TaintToleration;
using Platform.Scheduler.Queue;

namespace Platform.Scheduler.Framework;

internal static class FrameworkServiceCollectionExtensions
{
    /// <summary>The plugins (one line each, in kube-scheduler's order), the profile built from configuration, the cache and the queue.</summary>
    public static IServiceCollection AddSchedulerFramework(this IServiceCollection services)
    {
        services.AddSingleton<IPlugin, NodeUnschedulable>();
        services.AddSingleton<IPlugin, NodeName>();
        services.AddSingleton<IPlugin, TaintToleration>();
        services.AddSingleton<IPlugin, NodeAffinity>();
        services.AddSingleton<IPlugin, NodePorts>();
        services.AddSingleton<IPlugin>(sp => new NodeResourcesFit(sp.GetRequiredService<SchedulerOptions>().NodeResourcesFit));
        services.AddSingleton<IPlugin, PodTopologySpread>();
        services.AddSingleton<IPlugin, InterPodAffinity>();
        services.AddSingleton<IPlugin, BalancedAllocation>();
        services.AddSingleton<IPlugin, DefaultBinder>();

        services.AddSingleton(sp => Profile.Build(sp.GetServices<IPlugin>(), sp.GetRequiredService<SchedulerOptions>().Profile));
        services.AddSingleton(sp => new SchedulingAlgorithm(sp.GetRequiredService<Profile>()));
        services.AddSingleton<SchedulerCache>();
        services.AddSingleton(sp =>
        {
            var queue = new SchedulingQueue(sp.GetRequiredService<SchedulerOptions>().Queue, sp.GetRequiredService<TimeProvider>());
            if (sp.GetService<SchedulerMetrics>() is { } metrics) queue.Moved += metrics.Moved;
            return queue;
        });
        return services;
    }
}
