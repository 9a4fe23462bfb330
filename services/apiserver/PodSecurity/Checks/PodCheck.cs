using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// One Pod Security check as kube-apiserver registers it: an id, the level it belongs to, and its implementations
/// by the policy version they start at. A check returns null when the pod passes.
/// </summary>
internal sealed record PodCheck(string Id, Level Level, IReadOnlyList<VersionedCheck> Versions);
