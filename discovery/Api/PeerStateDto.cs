namespace Platform.Discovery.Api;

/// <summary>One replica as the state endpoint and dashboard show it.</summary>
internal sealed record PeerStateDto(string Url, bool Reachable, DateTimeOffset? LastSuccess, string? LastError);
