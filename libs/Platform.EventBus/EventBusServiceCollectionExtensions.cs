using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.EventBus.Consuming;
using Platform.EventBus.Kafka;
using Platform.EventBus.Producing;

namespace Platform.EventBus;

public static class EventBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventPublisher"/> and Kafka options bound from <c>Kafka</c> (validated at start;
    /// <c>PLATFORM_KAFKA_BOOTSTRAP</c> fills <c>Kafka:BootstrapServers</c> when unset), and a start-up check
    /// that fails fast naming the setting and address when no broker answers.
    /// </summary>
    public static IServiceCollection AddEventBus(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (string.IsNullOrWhiteSpace(o.BootstrapServers)) o.BootstrapServers = config["PLATFORM_KAFKA_BOOTSTRAP"] ?? "";
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventPublisher, KafkaEventPublisher>();
        services.AddHostedService<KafkaStartupCheck>();
        // A singleton: AddCheck<T> alone makes a new check (here: a new Kafka client) for every probe.
        services.TryAddSingleton<KafkaHealthCheck>();
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: ["ready"]);
        return services;
    }

    /// <summary>Adds a consumer-group member running <typeparamref name="THandler"/> as a hosted service.</summary>
    public static IServiceCollection AddEventConsumer<THandler>(this IServiceCollection services, Action<EventConsumerOptions> configure)
        where THandler : class, IEventHandler
    {
        var options = new EventConsumerOptions();
        configure(options);
        options.Validate();
        services.TryAddSingleton<THandler>();
        services.AddSingleton<IHostedService>(sp => new EventConsumerService(
            options,
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
            sp.GetRequiredService<THandler>(),
            sp.GetRequiredService<ILogger<EventConsumerService>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
