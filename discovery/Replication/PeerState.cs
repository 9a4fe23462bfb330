namespace Platform.Discovery.Replication;

/// <summary>Last known replication state of one peer.</summary>
internal sealed record PeerState(Uri Url, bool Reachable, DateTimeOffset? LastSuccess, string? LastError);
