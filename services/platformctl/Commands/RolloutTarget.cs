using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// The object a <c>rollout</c> subcommand acts on, typed as kubectl accepts it: <c>deployment/web</c>,
/// <c>daemonset web</c>, <c>sts/db</c>. Deployments keep their history in ReplicaSets, DaemonSets and StatefulSets in
/// ControllerRevisions.
/// </summary>
public sealed record RolloutTarget(ResourceKind Kind, string Name)
{
    private static readonly ResourceKind[] Rollable = [ResourceKinds.Deployment, ResourceKinds.DaemonSet, ResourceKinds.StatefulSet];

    public string Display => Names.Of(Kind, Name);

    public bool IsDeployment => Kind == ResourceKinds.Deployment;

    public static RolloutTarget Parse(string first, string? second)
    {
        var slash = first.IndexOf('/', StringComparison.Ordinal);
        var (kindText, name) = slash >= 0 ? (first[..slash], first[(slash + 1)..]) : (first, second);
        if (slash >= 0 && second is not null) throw new CtlException($"there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (got \"{first}\" and \"{second}\")");
        if (string.IsNullOrEmpty(name)) throw new CtlException($"required resource name not specified: use deployment/NAME (got \"{first}\")");
        var kind = Names.Kind(kindText);
        if (!Rollable.Contains(kind)) throw new CtlException($"no rollouts for {kind.Plural}: only deployments, daemonsets and statefulsets have a rollout history");
        return new RolloutTarget(kind, name);
    }

    public async Task<JsonObject> GetAsync(CtlSession session, CancellationToken ct) =>
        await session.Api.GetAsync(Kind, session.Namespace, Name, ct)
        ?? throw new CtlException($"Error from server (NotFound): {Kind.QualifiedPlural} \"{Name}\" not found");
}
