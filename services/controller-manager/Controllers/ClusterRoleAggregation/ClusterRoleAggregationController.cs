using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ControllerManager.Informers;
using Platform.Contracts.Resources;
using Aggregation = Platform.Contracts.Resources.ClusterRoleAggregation;

namespace Platform.ControllerManager.Controllers.ClusterRoleAggregation;

/// <summary>
/// Kubernetes' clusterrole-aggregation controller: a ClusterRole with an <c>aggregationRule</c> holds the rules of
/// every ClusterRole its selectors match, kept current as those are added, changed or removed — so a ClusterRole
/// labelled <c>rbac.authorization.k8s.io/aggregate-to-edit: "true"</c> extends what every editor may do. Chains settle
/// because each update is itself a change that requeues the roles aggregating it.
/// </summary>
internal sealed class ClusterRoleAggregationController : Controller
{
    public ClusterRoleAggregationController(ClusterInformers informers, ApiClient api, IOptions<ControllerManagerOptions> options, TimeProvider time,
        ILogger<ClusterRoleAggregationController> logger)
        : base(informers, api, options, time, logger) =>
        // Any change may matter to any aggregated role: requeue them all (there are a handful).
        informers.ClusterRoles.OnChange((_, _) =>
        {
            foreach (var key in AllKeys()) Queue.Add(key);
        });

    protected override string Name => "clusterrole-aggregation";

    protected override IEnumerable<string> AllKeys() =>
        Informers.ClusterRoles.List().Where(r => r.AggregationRule is not null).Select(r => r.Metadata.Name!);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (Informers.ClusterRoles.Get(null, key) is not { } role) return;
        if (Aggregation.RulesOf(role, Informers.ClusterRoles.List()) is not { } rules || Aggregation.SameRules(rules, role.Rules)) return;
        // A resourceVersion precondition: a stale cache gets a 409 and the key is retried once the cache caught up.
        await Api.ReplaceAsync(ResourceKinds.ClusterRole.ObjectPath(null, key), role with { Rules = rules }, ct);
    }
}
