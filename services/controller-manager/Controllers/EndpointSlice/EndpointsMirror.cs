using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.EndpointSlice;

using LegacyEndpoints = Platform.Contracts.Resources.Endpoints;

/// <summary>
/// The legacy <c>v1 Endpoints</c> of a Service, from the same desired endpoints as its slices (what Kubernetes' endpoints
/// controller writes): one subset per port set, ready pods under <c>addresses</c>, not-ready ones under
/// <c>notReadyAddresses</c>, terminating pods left out (unless <c>publishNotReadyAddresses</c>). Owned by the Service, so the
/// garbage collector removes it with the Service.
/// </summary>
internal static class EndpointsMirror
{
    public static LegacyEndpoints Build(Service svc, List<DesiredEndpoint> desired, LegacyEndpoints? current)
    {
        var publishNotReady = svc.Spec.PublishNotReadyAddresses == true;
        var subsets = desired
            .Where(d => publishNotReady || d.Endpoint.Conditions?.Terminating != true)
            .GroupBy(d => d.PortKey)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(d => d.Endpoint.Addresses![0], StringComparer.Ordinal).ToList();
                var ready = ordered.Where(d => d.Endpoint.Conditions?.Ready == true || publishNotReady).Select(Address).ToList();
                var notReady = ordered.Where(d => !(d.Endpoint.Conditions?.Ready == true || publishNotReady)).Select(Address).ToList();
                return new EndpointSubset
                {
                    Addresses = ready.Count > 0 ? ready : null,
                    NotReadyAddresses = notReady.Count > 0 ? notReady : null,
                    Ports = g.First().Ports.Select(p => new EndpointPort { Name = p.Name is { Length: > 0 } n ? n : null, Port = p.Port, Protocol = p.Protocol }).ToList(),
                };
            })
            .ToList();
        return new LegacyEndpoints
        {
            ApiVersion = ResourceKinds.Endpoints.ApiVersion,
            Kind = ResourceKinds.Endpoints.Kind,
            Metadata = new ObjectMeta
            {
                Name = svc.Metadata.Name,
                Namespace = svc.Metadata.Namespace,
                Labels = svc.Metadata.Labels is { Count: > 0 } labels ? new(labels) : null,
                ResourceVersion = current?.Metadata.ResourceVersion,
                OwnerReferences = [DesiredEndpoints.OwnerOf(svc)],
            },
            Subsets = subsets.Count > 0 ? subsets : null,
        };
    }

    /// <summary>Whether writing <paramref name="next"/> over <paramref name="current"/> would change nothing.</summary>
    public static bool Same(LegacyEndpoints current, LegacyEndpoints next) =>
        Json(current.Subsets ?? []) == Json(next.Subsets ?? [])
        && Json(new SortedDictionary<string, string>(current.Metadata.Labels ?? [], StringComparer.Ordinal)) == Json(new SortedDictionary<string, string>(next.Metadata.Labels ?? [], StringComparer.Ordinal))
        && Json(current.Metadata.OwnerReferences) == Json(next.Metadata.OwnerReferences);

    private static EndpointAddress Address(DesiredEndpoint d) => new()
    {
        Ip = d.Endpoint.Addresses![0],
        Hostname = d.Endpoint.Hostname,
        NodeName = d.Endpoint.NodeName,
        TargetRef = d.Endpoint.TargetRef,
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ResourceJson.Options);
}
