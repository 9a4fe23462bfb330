using Platform.ApiServer.Auth;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Startup;

/// <summary>
/// Kubernetes' <c>rbac/bootstrap-roles</c>: at every start the default ClusterRoles and ClusterRoleBindings
/// (<see cref="DefaultRoles"/>) are created when missing, and those still annotated
/// <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c> are brought back to the defaults (an admin who sets it to
/// "false" keeps their own). Aggregated roles start with their rules gathered from the defaults and the cluster's
/// other ClusterRoles, so an apiserver alone already authorizes editors and viewers.
/// </summary>
internal sealed partial class RbacBootstrap(ResourceService resources, ILogger<RbacBootstrap> logger)
{
    public async Task RunAsync(Caller system, CancellationToken ct)
    {
        var (stored, _) = await resources.ListAsync(ResourceKinds.ClusterRole, null, Selector.Everything, FieldSelector.Parse(null), ct);
        var existing = stored.Select(s => (ClusterRole)ResourceCodec.Decode(ResourceKinds.ClusterRole, s.Body)).ToDictionary(r => r.Metadata.Name!);
        var defaults = DefaultRoles.ClusterRoles.Select(d => d.Metadata.Name!).ToHashSet();
        var settled = ClusterRoleAggregation.Settle([.. DefaultRoles.ClusterRoles, .. existing.Values.Where(r => !defaults.Contains(r.Metadata.Name!))]);
        foreach (var role in settled.Where(r => defaults.Contains(r.Metadata.Name!)))
            await ReconcileAsync(system, ResourceKinds.ClusterRole, role, existing.GetValueOrDefault(role.Metadata.Name!), ct);
        foreach (var binding in DefaultRoles.ClusterRoleBindings)
        {
            var current = await TryGetAsync(system, ResourceKinds.ClusterRoleBinding, binding.Metadata.Name!, ct);
            await ReconcileAsync(system, ResourceKinds.ClusterRoleBinding, binding, current, ct);
        }
    }

    private async Task<Resource?> TryGetAsync(Caller system, ResourceKind kind, string name, CancellationToken ct)
    {
        try
        {
            return ResourceCodec.Decode(kind, (await resources.GetAsync(system, kind, null, name, ct)).Body);
        }
        catch (ApiProblem p) when (p.Reason == "NotFound")
        {
            return null;
        }
    }

    private async Task ReconcileAsync(Caller system, ResourceKind kind, Resource wanted, Resource? current, CancellationToken ct)
    {
        var name = wanted.Metadata.Name!;
        if (current is null)
        {
            try
            {
                await resources.CreateAsync(system, kind, null, ResourceCodec.Encode(wanted), new WriteRequest(), dryRun: false, ct);
                LogCreated(logger, kind.Kind, name);
            }
            catch (ApiProblem p) when (p.Reason == "AlreadyExists")
            {
                // Another apiserver starting at the same time created it.
            }
            return;
        }
        if (current.Metadata.Annotations?.GetValueOrDefault(DefaultRoles.AutoUpdate) != "true") return;
        var body = ResourceCodec.Encode(wanted with { Metadata = wanted.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } });
        var (_, changed) = await resources.ReplaceAsync(system, kind, null, name, null, body, new WriteRequest(), dryRun: false, ct);
        if (changed) LogReconciled(logger, kind.Kind, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RBAC: created the default {Kind} {Name}")]
    private static partial void LogCreated(ILogger logger, string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "RBAC: brought the default {Kind} {Name} back to its bootstrap rules (autoupdate)")]
    private static partial void LogReconciled(ILogger logger, string kind, string name);
}
