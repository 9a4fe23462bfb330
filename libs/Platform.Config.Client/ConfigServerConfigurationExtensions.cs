using Microsoft.Extensions.Configuration;

namespace Platform.Config.Client;

public static class ConfigServerConfigurationExtensions
{
    /// <summary>
    /// Adds the Spring Cloud Config server as a configuration source (Steeltoe's keys, see
    /// <see cref="ConfigServerClientSettings"/>). Values from the server override those added before this call.
    /// With Kafka configured, a Spring Cloud Bus refresh reloads the values in place.
    /// </summary>
    public static IConfigurationBuilder AddConfigServer(this IConfigurationBuilder builder) =>
        builder.Add(new ConfigServerConfigurationSource(builder as IConfiguration));
}
