using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// The object a <c>rollout</c> subcommand acts on, typed as kubectl accepts it: <c>deployment/web</c> or
/// <c>deployment web</c>. Only Deployments have rollouts here (no DaemonSets or StatefulSets exist).
/// </summary>
public sealed record RolloutTarget(string Name)
{
    public static ResourceKind Kind => ResourceKinds.Deployment;

    public string Display => Names.Of(Kind, Name);

    public static RolloutTarget Parse(string first, string? second)
    {
        var slash = first.IndexOf('/', StringComparison.Ordinal);
        var (kindText, name) = slash >= 0 ? (first[..slash], first[(slash + 1)..]) : (first, second);
        if (slash >= 0 && second is not null) throw new CtlException($"there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (got \"{first}\" and \"{second}\")");
        if (string.IsNullOrEmpty(name)) throw new CtlException($"required resource name not specified: use deployment/NAME (got \"{first}\")");
        var kind = Names.Kind(kindText);
        if (kind != Kind) throw new CtlException($"no rollouts for {kind.Plural}: only deployments have a rollout history");
        return new RolloutTarget(name);
    }

    public async Task<JsonObject> GetAsync(CtlSession session, CancellationToken ct) =>
        await session.Api.GetAsync(Kind, session.Namespace, Name, ct)
        ?? throw new CtlException($"Error from server (NotFound): deployments.apps \"{Name}\" not found");
}
