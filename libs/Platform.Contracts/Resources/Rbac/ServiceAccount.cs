namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: v1</c>, <c>kind: ServiceAccount</c>: an identity for processes in pods. Its tokens come from
/// <c>POST .../serviceaccounts/{name}/token</c> (bound, expiring); RoleBindings grant it permissions.
/// </summary>
public sealed record ServiceAccount : Resource
{
    /// <summary>Whether pods using this account get a token mounted by default (a pod's own setting wins).</summary>
    public bool? AutomountServiceAccountToken { get; init; }
}
