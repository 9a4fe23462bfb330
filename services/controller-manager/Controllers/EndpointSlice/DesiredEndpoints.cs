using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.EndpointSlice;

using Endpoint = Platform.Contracts.Resources.Endpoint;

/// <summary>One pod as an endpoint of a Service, with the ports its Service ports resolve to on that pod.</summary>
internal sealed record DesiredEndpoint(Endpoint Endpoint, List<EndpointPort> Ports, string PortKey, string PodName, string PodUid);

/// <summary>
/// What the slices of a Service should hold, as Kubernetes' EndpointSlice controller computes it: the pods the selector
/// matches that have an IP and are not finished, each with its conditions and the Service ports resolved on it (a named
/// targetPort looked up in the pod's containers; a pod where the name does not resolve lacks that port, so it lands in
/// a slice of another port set).
/// </summary>
internal static class DesiredEndpoints
{
    public static List<DesiredEndpoint> For(Service svc, IEnumerable<Pod> pods)
    {
        var publishNotReady = svc.Spec.PublishNotReadyAddresses == true;
        var result = new List<DesiredEndpoint>();
        foreach (var pod in pods)
        {
            if (pod.Status?.PodIP is not { Length: > 0 } ip || pod.Status.Phase is "Succeeded" or "Failed") continue;
            var terminating = pod.Metadata.DeletionTimestamp is not null;
            var ready = publishNotReady || PodFacts.IsReady(pod);
            var ports = Ports(svc, pod);
            var endpoint = new Endpoint
            {
                Addresses = [ip],
                Conditions = new EndpointConditions { Ready = ready && !terminating, Serving = ready, Terminating = terminating },
                NodeName = pod.Spec.NodeName,
                // Kubernetes' ShouldSetHostname: what makes HOSTNAME.SERVICE.NS.svc resolve (StatefulSet pods under their headless Service).
                Hostname = pod.Spec.Hostname is { Length: > 0 } h && pod.Spec.Subdomain == svc.Metadata.Name && pod.Metadata.Namespace == svc.Metadata.Namespace ? h : null,
                TargetRef = new ObjectReference { Kind = "Pod", Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            };
            result.Add(new DesiredEndpoint(endpoint, ports, KeyOf(ports), pod.Metadata.Name!, pod.Metadata.Uid ?? pod.Metadata.Name!));
        }
        return result;
    }

    /// <summary>The Service's ports on <paramref name="pod"/>, in the Service's order; ports whose named target the pod lacks are left out.</summary>
    public static List<EndpointPort> Ports(Service svc, Pod pod)
    {
        var ports = new List<EndpointPort>();
        foreach (var sp in svc.Spec.Ports ?? [])
        {
            var target = sp.TargetPort ?? new IntOrString(sp.Port);
            int? number = target.IntValue;
            if (target.StringValue is { } name)
                number = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == name && (p.Protocol ?? "TCP") == (sp.Protocol ?? "TCP"))?.Port;
            if (number is not { } port) continue;
            ports.Add(new EndpointPort { Name = sp.Name ?? "", Protocol = sp.Protocol ?? "TCP", Port = port });
        }
        return ports;
    }

    /// <summary>The controller reference to the Service its slices and Endpoints carry, which the garbage collector follows.</summary>
    public static OwnerReference OwnerOf(Service svc) =>
        new() { ApiVersion = "v1", Kind = "Service", Name = svc.Metadata.Name, Uid = svc.Metadata.Uid, Controller = true, BlockOwnerDeletion = true };

    /// <summary>Slices group endpoints by this: the exact port list.</summary>
    public static string KeyOf(IReadOnlyList<EndpointPort>? ports) => JsonSerializer.Serialize(
        (ports ?? []).Select(p => new EndpointPort { Name = p.Name ?? "", Protocol = p.Protocol ?? "TCP", Port = p.Port, AppProtocol = p.AppProtocol }), ResourceJson.Options);
}
