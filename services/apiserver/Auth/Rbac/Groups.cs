namespace Platform.ApiServer.Auth.Rbac;

/// <summary>The group names Kubernetes gives authenticated callers, which bindings can name.</summary>
internal static class Groups
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string Nodes = "system:nodes";
    public const string ServiceAccounts = "system:serviceaccounts";

    /// <summary><c>system:serviceaccount:NS:NAME</c>, the user name of a ServiceAccount.</summary>
    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";
}
