using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Config.Client;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>One .NET application instance: its own configuration (with the config server source) and options.</summary>
internal sealed class NetConfigClient : IDisposable
{
    private readonly ConfigurationManager _config;
    private readonly ServiceProvider _services;

    private NetConfigClient(ConfigurationManager config, ServiceProvider services)
    {
        _config = config;
        _services = services;
    }

    public IOptionsMonitor<OrdersOptions> Options => _services.GetRequiredService<IOptionsMonitor<OrdersOptions>>();

    public ConfigServerConfigurationProvider Provider =>
        ((IConfigurationRoot)_config).Providers.OfType<ConfigServerConfigurationProvider>().Single();

    public static NetConfigClient Create(ConfigServerHost host, KafkaFixture kafka, string topic, string app)
    {
        var config = new ConfigurationManager();
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["spring:application:name"] = app,
            ["spring:cloud:config:uri"] = host.BaseAddress.ToString(),
            ["spring:cloud:config:env"] = "default",
            ["spring:cloud:config:username"] = ConfigServerHost.User,
            ["spring:cloud:config:password"] = ConfigServerHost.Password,
            ["spring:cloud:config:failFast"] = "true",
            ["spring:cloud:bus:destination"] = topic,
            ["spring:kafka:bootstrap-servers"] = kafka.BootstrapServers,
        });
        config.AddConfigServer();
        var services = new ServiceCollection();
        services.AddOptions<OrdersOptions>().Bind(config.GetSection("orders"));
        services.AddSingleton<IConfiguration>(config);
        return new NetConfigClient(config, services.BuildServiceProvider());
    }

    public void Dispose()
    {
        _services.Dispose();
        _config.Dispose();
    }
}
