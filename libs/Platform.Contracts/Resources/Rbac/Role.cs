namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: rbac.authorization.k8s.io/v1</c>, <c>kind: Role</c>: rules that a RoleBinding grants inside the Role's namespace.</summary>
public sealed record Role : Resource
{
    /// <summary>What the role allows.</summary>
    public List<PolicyRule>? Rules { get; init; }
}
