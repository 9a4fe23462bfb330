using Platform.EventBus;

namespace Platform.ConfigServer.Backends.ConfigMaps;

internal static class ConfigMapBackendExtensions
{
    /// <summary>
    /// Registers the ConfigMap backend when <c>ConfigServer:ConfigMaps:Enabled</c>; returns how many backends it added.
    /// The caller registers the event bus once, for this consumer and the refresh publisher alike.
    /// </summary>
    public static int AddConfigMapBackend(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ConfigMapOptions.Section);
        if (!section.GetValue<bool>("Enabled")) return 0;
        builder.Services.AddOptions<ConfigMapOptions>().BindConfiguration(ConfigMapOptions.Section);
        builder.Services.AddSingleton<ConfigMapStore>();
        builder.Services.AddSingleton<IEnvironmentRepository, ConfigMapEnvironmentRepository>();
        var topic = section["Topic"] ?? new ConfigMapOptions().Topic;
        // Every replica needs every ConfigMap, so each process is its own group and replays the topic from the start.
        builder.Services.AddEventConsumer<ConfigMapEventHandler>(o =>
        {
            o.GroupId = $"config-server-configmaps-{Guid.NewGuid():N}";
            o.Topics.Add(topic);
            o.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest;
        });
        return 1;
    }
}
