using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Registry;

namespace Platform.Discovery.Client.ServiceDiscovery;

/// <summary>
/// Plugs the Eureka registry into Microsoft.Extensions.ServiceDiscovery: <c>http://my-service/</c> resolves to
/// the instances of application MY-SERVICE (round robin by the default selector).
/// </summary>
internal sealed class EurekaServiceEndpointProviderFactory(EurekaRegistryCache cache, IOptions<EurekaClientOptions> options) : IServiceEndpointProviderFactory
{
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        provider = options.Value.ShouldFetchRegistry ? new EurekaServiceEndpointProvider(query, cache) : null;
        return provider is not null;
    }
}
