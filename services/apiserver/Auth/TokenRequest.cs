namespace Platform.ApiServer.Auth;

/// <summary>Body of <c>POST /apis/auth.platform.io/v1/tokens</c>.</summary>
public sealed record TokenRequest(string? Name, string? Role, string? Namespace, string? NodeName);
