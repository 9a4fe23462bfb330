using Microsoft.Extensions.Configuration;

namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>
/// The <c>Endpoints</c> Kestrel binds for Gateway listeners, as configuration: replacing them fires the reload token, and
/// Kestrel's endpoint configuration reload (<c>KestrelServerOptions.Configure(config, reloadOnChange: true)</c>) stops the
/// endpoints that went away and binds the new ones, leaving the others (and every endpoint not from configuration) open.
/// </summary>
internal sealed class ListenerEndpointsSource : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Replace(IReadOnlyDictionary<string, string?> data)
    {
        Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }
}
