using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Connect.Api;
using Platform.Connect.Configuration;
using Platform.Connect.Distributed;
using Platform.Connect.Plugins;
using Platform.Connect.Runtime;
using Platform.Connect.Storage;
using Platform.EventBus;

namespace Platform.Connect;

public static class ConnectHostingExtensions
{
    /// <summary>
    /// The Kafka Connect worker: options from <c>Connect</c> (validated at start), Kafka from <c>Kafka</c> /
    /// <c>PLATFORM_KAFKA_BOOTSTRAP</c>, the plugin registry, the three stores for <c>Connect:Mode</c>, the group
    /// membership and the herder that runs connectors and tasks.
    /// </summary>
    public static IHostApplicationBuilder AddConnectWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConnectOptions>().BindConfiguration(ConnectOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectOptions>, ConnectOptionsValidator>());
        services.AddEventBus();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PluginRegistry>();
        services.AddSingleton<ConfigValidator>();
        services.AddSingleton<RequestBody>();
        services.AddSingleton<ConnectAuthFilter>();
        var standalone = string.Equals(builder.Configuration["Connect:Mode"], nameof(WorkerMode.Standalone), StringComparison.OrdinalIgnoreCase);
        if (standalone)
        {
            services.AddSingleton<IConfigStore, MemoryConfigStore>();
            services.AddSingleton<IMembership, StandaloneMembership>();
        }
        else
        {
            services.AddSingleton<IConfigStore, KafkaConfigStore>();
            services.AddSingleton<IMembership, GroupMembership>();
        }
        services.AddSingleton<StatusStore>();
        services.AddSingleton<OffsetStore>();
        services.AddSingleton<Herder>();
        services.AddHostedService(sp => sp.GetRequiredService<Herder>());

        var root = Enum.TryParse<LogLevel>(builder.Configuration["Logging:LogLevel:Default"], out var l) ? l : LogLevel.Information;
        var levels = new LoggerLevels(root);
        services.AddSingleton(levels);
        builder.Logging.AddFilter((_, category, level) => levels.IsEnabled(category, level));
        return builder;
    }

    /// <summary>The Kafka Connect REST API: <c>GET /</c> open, everything else behind <c>Connect:Username</c>/<c>Password</c>.</summary>
    public static WebApplication MapConnectApi(this WebApplication app)
    {
        AdminEndpoints.MapRoot(app);
        var api = app.MapGroup("").AddEndpointFilter<ConnectAuthFilter>().AddEndpointFilter<ConnectErrorFilter>();
        ConnectorsEndpoints.Map(api);
        PluginsEndpoints.Map(api);
        AdminEndpoints.Map(api);
        return app;
    }
}
