using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Config.Client;

public static class ConfigServerConfigurationExtensions
{
    /// <summary>
    /// Adds the Spring Cloud Config server as a configuration source (Steeltoe's keys, see
    /// <see cref="ConfigServerClientSettings"/>). Values from the server override those added before this call.
    /// With Kafka configured, a Spring Cloud Bus refresh reloads the values in place. Configuration is built
    /// before logging exists, so pass <paramref name="loggerFactory"/> to see load failures and refreshes.
    /// </summary>
    public static IConfigurationBuilder AddConfigServer(this IConfigurationBuilder builder, ILoggerFactory? loggerFactory = null) =>
        builder.Add(new ConfigServerConfigurationSource(builder as IConfiguration, loggerFactory ?? NullLoggerFactory.Instance));
}
