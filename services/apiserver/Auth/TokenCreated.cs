namespace Platform.ApiServer.Auth;

/// <summary>The one answer that shows a token's value; only its hash is kept.</summary>
public sealed record TokenCreated(string Name, string Role, string? Namespace, string? NodeName, string Token);
