using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ControllerManager.Informers;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.ServiceAccounts;

/// <summary>
/// Kubernetes' serviceaccounts controller: every active namespace has a ServiceAccount named <c>default</c>, the
/// identity of pods that name none. Created when a namespace appears, and again if someone deletes it.
/// </summary>
internal sealed class ServiceAccountsController : Controller
{
    public const string DefaultName = "default";

    public ServiceAccountsController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<ServiceAccountsController> logger)
        : base(informers, api, options, time, logger)
    {
        informers.Namespaces.AddEventHandler(added: ns => Queue.Add(ns.Metadata.Name!), updated: (_, ns) => Queue.Add(ns.Metadata.Name!));
        informers.ServiceAccounts.AddEventHandler(deleted: sa =>
        {
            if (sa.Metadata.Name == DefaultName && sa.Metadata.Namespace is { } ns) Queue.Add(ns);
        });
    }

    protected override string Name => "serviceaccounts";

    protected override IEnumerable<string> AllKeys() => Informers.Namespaces.List().Select(n => n.Metadata.Name!);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var ns = Informers.Namespaces.Get(null, key);
        if (ns is null || ns.Metadata.DeletionTimestamp is not null || ns.Status?.Phase == "Terminating") return;
        if (Informers.ServiceAccounts.Get(key, DefaultName) is not null) return;
        var account = new ServiceAccount
        {
            ApiVersion = ResourceKinds.ServiceAccount.ApiVersion,
            Kind = ResourceKinds.ServiceAccount.Kind,
            Metadata = new ObjectMeta { Name = DefaultName, Namespace = key },
        };
        // 409: it exists already (the cache is behind), which is what this controller wants.
        await Api.CreateAsync(ResourceKinds.ServiceAccount.CollectionPath(key), account, ct);
    }
}
