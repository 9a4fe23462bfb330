using Platform.Scheduler.Queue;

namespace Platform.Scheduler.Framework;

internal static class FrameworkServiceCollectionExtensions
{
    /// <summary>The plugin registry, the profile built from it and configuration, the cache and the queue.</summary>
    public static IServiceCollection AddSchedulerFramework(this IServiceCollection services, PluginRegistry plugins)
    {
        services.AddSingleton(plugins);
        services.AddSingleton(sp => Profile.Build(plugins, sp.GetRequiredService<SchedulerOptions>().Profile, sp));
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
