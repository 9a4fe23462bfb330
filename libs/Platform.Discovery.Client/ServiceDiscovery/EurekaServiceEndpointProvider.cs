using System.Net;
using Microsoft.Extensions.ServiceDiscovery;
using Platform.Discovery.Client.Registry;

namespace Platform.Discovery.Client.ServiceDiscovery;

/// <summary>Endpoints of one application from the cached registry; re-resolved when the cache changes.</summary>
internal sealed class EurekaServiceEndpointProvider(ServiceEndpointQuery query, EurekaRegistryCache cache) : IServiceEndpointProvider
{
    public ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        endpoints.AddChangeToken(cache.ChangeToken);
        var wantsHttps = query.IncludedSchemes.Any(s => s == "https");
        var wantsHttp = query.IncludedSchemes.Count == 0 || query.IncludedSchemes.Any(s => s == "http");
        foreach (var i in cache.GetInstances(query.ServiceName))
        {
            if (wantsHttp && i.PortEnabled) endpoints.Endpoints.Add(ServiceEndpoint.Create(new DnsEndPoint(i.HostName, i.Port)));
            else if (wantsHttps && i.SecurePortEnabled) endpoints.Endpoints.Add(ServiceEndpoint.Create(new DnsEndPoint(i.HostName, i.SecurePort)));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => "Eureka";
}
