using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.ServiceAllocation;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Startup;

/// <summary>
/// The <c>kubernetes</c> Service of <c>default</c>, as Kubernetes' apiserver keeps it: the first address of the service
/// range (reserved for it), port 443 named <c>https</c>, to this apiserver's advertised address and secure port through
/// an EndpointSlice and Endpoints that <see cref="KubernetesEndpointsReconciler"/> keeps (the endpointslice controller
/// leaves selectorless Services alone). In-cluster clients (<c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the pod's token
/// and <c>ca.crt</c>) reach the apiserver through it and the node proxies. The Service is made once.
/// </summary>
internal sealed partial class ApiServerStartup
{
    public const string KubernetesServiceName = "kubernetes";

    private async Task EnsureKubernetesServiceAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!IPAddress.TryParse(o.AdvertiseAddress, out var address) || address.AddressFamily != AddressFamily.InterNetwork) return;
        var labels = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = KubernetesServiceName, ["namespace"] = SystemNamespaces.Default, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = o.AdvertisePort }),
                ["sessionAffinity"] = "None",
            },
        };
        if (ServiceIpRange.TryParse(o.ServiceClusterIpRange, out var range, out _)) service["spec"]!["clusterIP"] = range.At(1).ToString();
        try
        {
            await EnsureDefaultObjectAsync(ResourceKinds.Service, service, ct, SystemNamespaces.Default);
        }
        catch (ApiProblem p) when (p.Status == 422)
        {
            // The reserved address went to a Service made before this one existed: any address will do.
            LogKubernetesServiceAddressTaken(logger, p.Message);
            ((JsonObject)service["spec"]!).Remove("clusterIP");
            await EnsureDefaultObjectAsync(ResourceKinds.Service, service, ct, SystemNamespaces.Default);
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "the kubernetes Service could not have the service range's first address: {Reason}")]
    private static partial void LogKubernetesServiceAddressTaken(ILogger logger, string reason);
}
