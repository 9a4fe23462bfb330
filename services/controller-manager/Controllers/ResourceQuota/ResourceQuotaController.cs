using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ControllerManager.Informers;
using Platform.Contracts.Quota;
using Platform.Contracts.Resources;
using Quota = Platform.Contracts.Resources.ResourceQuota;

namespace Platform.ControllerManager.Controllers.ResourceQuota;

/// <summary>
/// Kubernetes' resourcequota controller: keeps every ResourceQuota's <c>status.hard</c> (its spec's) and
/// <c>status.used</c> (what the namespace's objects use, <see cref="QuotaUsage"/>) current, writing through the
/// <c>resourcequotas/status</c> subresource. A namespace is recounted when a quota's spec changes and when something
/// that counts changes there: an object created or deleted, a pod that terminates, a Service whose type or ports
/// change. The apiserver charges creations as it admits them; this is what lowers <c>used</c> again. Names of
/// kinds not followed here (<c>count/events</c>, <c>count/routes.gateway.platform.io</c> ...) keep the value the
/// apiserver wrote when it last admitted one.
/// </summary>
internal sealed class ResourceQuotaController : Controller
{
    private readonly Dictionary<ResourceKind, Func<string, IEnumerable<Resource>>> _counted = [];

    public ResourceQuotaController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time,
        ILogger<ResourceQuotaController> logger)
        : base(informers, api, options, time, logger)
    {
        Count(informers.Pods);
        Count(informers.Services);
        Count(informers.ConfigMaps);
        Count(informers.Secrets);
        Count(informers.ResourceQuotas);
        Count(informers.ReplicaSets);
        Count(informers.Deployments);
        Count(informers.ServiceAccounts);
        Count(informers.Leases);
        informers.ResourceQuotas.AddEventHandler(
            added: q => Queue.Add(q.Metadata.Namespace!),
            // Its own status writes (and the apiserver's) change nothing to count; a new spec does.
            updated: (old, q) =>
            {
                if (!ResourceList.Same(old.Spec.Hard, q.Spec.Hard) || !ResourceList.Same(q.Spec.Hard, q.Status?.Hard)) Queue.Add(q.Metadata.Namespace!);
            });
    }

    protected override string Name => "resourcequota";

    protected override IEnumerable<string> AllKeys() =>
        Informers.ResourceQuotas.List().Select(q => q.Metadata.Namespace!).Distinct(StringComparer.Ordinal);

    /// <summary>Follows <paramref name="informer"/>'s kind: counts its objects and requeues their namespace when what they use changes.</summary>
    private void Count<T>(Informer<T> informer) where T : Resource
    {
        var kind = informer.Kind;
        _counted[kind] = ns => informer.List(ns);
        informer.OnChange((old, now) =>
        {
            if (old is not null && now is not null && SameUsage(kind, old, now)) return;
            if ((now ?? old)?.Metadata.Namespace is { } ns && Informers.ResourceQuotas.List(ns).Count > 0) Queue.Add(ns);
        });
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        foreach (var quota in Informers.ResourceQuotas.List(key))
        {
            var status = StatusOf(key, quota);
            if (ResourceList.Same(status.Hard, quota.Status?.Hard) && ResourceList.Same(status.Used, quota.Status?.Used)) continue;
            try
            {
                // The cached resourceVersion is a precondition: when the apiserver charged a creation meanwhile, 409,
                // and the namespace is counted again once the cache holds that version.
                if (await Api.ReplaceAsync(ResourceKinds.ResourceQuota.ObjectPath(key, quota.Metadata.Name!) + "/status", quota with { Status = status }, ct) is { } stored)
                    Informers.ResourceQuotas.Observe(stored);
            }
            catch (ApiException ex) when (ex.IsConflict)
            {
                Queue.AddRateLimited(key);
            }
        }
    }

    private ResourceQuotaStatus StatusOf(string ns, Quota quota)
    {
        var hard = quota.Spec.Hard ?? new ResourceList();
        var used = new ResourceList();
        foreach (var group in hard.Keys.GroupBy(QuotaResourceNames.KindOf))
        {
            if (group.Key is { } kind && _counted.TryGetValue(kind, out var list))
            {
                foreach (var (name, value) in QuotaUsage.Sum(kind, list(ns), group)) used[name] = QuotaUsage.Format(name, value);
                continue;
            }
            foreach (var name in group)
                if (quota.Status?.Used?.TryGetValue(name, out var kept) == true) used[name] = kept;
        }
        return new ResourceQuotaStatus { Hard = new ResourceList(hard), Used = used };
    }

    private static bool SameUsage(ResourceKind kind, Resource a, Resource b)
    {
        var (x, y) = (QuotaUsage.Of(kind, a), QuotaUsage.Of(kind, b));
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
