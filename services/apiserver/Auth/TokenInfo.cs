namespace Platform.ApiServer.Auth;

/// <summary>A token as listed: never its value.</summary>
public sealed record TokenInfo(string Name, string Role, string? Namespace, string? NodeName, DateTimeOffset CreatedAt);
