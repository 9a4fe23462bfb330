namespace Platform.ApiServer.Auth;

/// <summary>The authenticated token: its name, role and scope (namespace for editor/viewer, node name for a node).</summary>
public sealed record Caller(string Name, Role Role, string? Namespace, string? NodeName);
