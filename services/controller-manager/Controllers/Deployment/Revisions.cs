using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Deployment;

/// <summary>Revision annotations, as Kubernetes writes them, and the rollback request annotation.</summary>
internal static class Revisions
{
    public const string Revision = "deployment.kubernetes.io/revision";

    /// <summary>
    /// Set on a Deployment to roll back (what <c>rollout undo [--to-revision=N]</c> writes): the revision to return
    /// to, or <c>0</c> for the previous one. The controller copies that ReplicaSet's template back and removes it.
    /// </summary>
    public const string RollbackTo = "deployment.platform.io/rollback-to";

    /// <summary>Opt-in (<c>"true"</c>): roll back automatically when a rollout exceeds progressDeadlineSeconds.</summary>
    public const string AutoRollback = "deployment.platform.io/auto-rollback";

    public static long Of(Resource r) =>
        r.Metadata.Annotations?.GetValueOrDefault(Revision) is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
