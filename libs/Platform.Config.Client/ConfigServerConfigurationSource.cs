using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Platform.Config.Client;

/// <summary>Reads the client settings from the configuration built so far, then creates the provider.</summary>
internal sealed class ConfigServerConfigurationSource(IConfiguration? existing, ILoggerFactory loggerFactory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        // A ConfigurationManager is its own configuration; a plain builder is read through the sources added before us.
        var config = existing ?? BuildEarlierSources(builder);
        return new ConfigServerConfigurationProvider(ConfigServerClientSettings.From(config), loggerFactory);
    }

    private IConfigurationRoot BuildEarlierSources(IConfigurationBuilder builder)
    {
        var earlier = new ConfigurationBuilder();
        foreach (var source in builder.Sources)
        {
            if (ReferenceEquals(source, this)) break;
            earlier.Add(source);
        }
        return earlier.Build();
    }
}
