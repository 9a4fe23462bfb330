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
/// an EndpointSlice and Endpoints it writes itself (the endpointslice controller leaves selectorless Services alone).
/// In-cluster clients (<c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the pod's token and <c>ca.crt</c>) reach the apiserver
/// through it and the node proxies. The Service is made once; the endpoints follow the configuration at every start.
/// </summary>
internal sealed partial class ApiServerStartup
{
    public const string KubernetesServiceName = "kubernetes";
    private const string ManagedBy = "platform-apiserver";

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

        var ip = address.ToString();
        await UpsertAsync(ResourceKinds.EndpointSlice, KubernetesServiceName, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = KubernetesServiceName, ["namespace"] = SystemNamespaces.Default,
                ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = KubernetesServiceName, ["endpointslice.kubernetes.io/managed-by"] = ManagedBy },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray(ip), ["conditions"] = new JsonObject { ["ready"] = true } }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = o.AdvertisePort, ["protocol"] = "TCP" }),
        }, ct);
        await UpsertAsync(ResourceKinds.Endpoints, KubernetesServiceName, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = KubernetesServiceName, ["namespace"] = SystemNamespaces.Default, ["labels"] = labels.DeepClone() },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = ip }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = o.AdvertisePort, ["protocol"] = "TCP" }),
            }),
        }, ct);
    }

    /// <summary>Creates the object, or replaces it when it exists (no event when nothing changed).</summary>
    private async Task UpsertAsync(ResourceKind kind, string name, JsonObject body, CancellationToken ct)
    {
        body["apiVersion"] = kind.ApiVersion;
        body["kind"] = kind.Kind;
        try
        {
            await resources.CreateAsync(System, kind, SystemNamespaces.Default, body, new WriteRequest(), dryRun: false, ct);
        }
        catch (ApiProblem p) when (p.Reason == "AlreadyExists")
        {
            await resources.ReplaceAsync(System, kind, SystemNamespaces.Default, name, null, body, new WriteRequest(), dryRun: false, ct);
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "the kubernetes Service could not have the service range's first address: {Reason}")]
    private static partial void LogKubernetesServiceAddressTaken(ILogger logger, string reason);
}
