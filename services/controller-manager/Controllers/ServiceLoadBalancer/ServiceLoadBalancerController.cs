using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Controllers.ServiceLoadBalancer;

/// <summary>
/// The platform's load balancer for <c>type: LoadBalancer</c> Services, like k3s' service load balancer: the Service's
/// <c>status.loadBalancer.ingress</c> is the InternalIP of every Ready node (each node agent's Service proxy listens
/// on its own address at the Service's ports). Written through <c>services/{name}/status</c> only when it differs; a
/// Service that stops being a LoadBalancer has its ingress cleared.
/// </summary>
internal sealed partial class ServiceLoadBalancerController : Controller
{
    private readonly ILogger _log;

    public ServiceLoadBalancerController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<ServiceLoadBalancerController> log)
        : base(informers, api, options, time, log)
    {
        _log = log;
        informers.Services.OnChange((old, now) => Queue.Add(ObjectKeys.KeyOf((now ?? old)!)));
        informers.Nodes.OnChange((old, now) =>
        {
            if (old is not null && now is not null && Ingress([old]).SequenceEqual(Ingress([now]))) return;
            foreach (var svc in Informers.Services.List().Where(IsLoadBalancer)) Queue.Add(ObjectKeys.KeyOf(svc));
        });
    }

    protected override string Name => "service-lb";

    protected override IEnumerable<string> AllKeys() => Informers.Services.List().Where(s => IsLoadBalancer(s) || s.Status?.LoadBalancer?.Ingress is { Count: > 0 }).Select(ObjectKeys.KeyOf);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.Services.Get(key) is not { } svc || svc.Metadata.DeletionTimestamp is not null) return;
        var wanted = IsLoadBalancer(svc) ? Ingress(Informers.Nodes.List()) : [];
        var held = (svc.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? "").ToList();
        if (held.SequenceEqual(wanted)) return;
        var ingress = new JsonArray([.. wanted.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip, ["ipMode"] = "VIP" })]);
        var patch = new JsonObject { ["status"] = new JsonObject { ["loadBalancer"] = wanted.Count == 0 ? new JsonObject() : new JsonObject { ["ingress"] = ingress } } };
        await Api.MergePatchAsync(ResourceKinds.Service.ObjectPath(svc.Metadata.Namespace, svc.Metadata.Name!) + "/status", patch, ct);
        IngressWritten(key, string.Join(",", wanted));
    }

    private static bool IsLoadBalancer(Service s) => s.Spec.Type == "LoadBalancer";

    /// <summary>The InternalIPs of the Ready nodes, distinct and sorted.</summary>
    private static List<string> Ingress(IEnumerable<Node> nodes) =>
        [.. nodes.Where(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .SelectMany(n => n.Status!.Addresses ?? []).Where(a => a.Type == "InternalIP" && a.Address is { Length: > 0 })
            .Select(a => a.Address!).Distinct().Order(StringComparer.Ordinal)];

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "service {Service}: load balancer ingress [{Ingress}]")]
    private partial void IngressWritten(string service, string ingress);
}
