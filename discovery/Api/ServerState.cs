namespace Platform.Discovery.Api;

/// <summary>Lease, self-preservation and replica state, as <c>/eureka/server/state</c> returns it.</summary>
internal sealed record ServerState(int Instances, bool SelfPreservationEnabled, bool SelfPreservationActive, int ExpectedClients,
    int RenewsPerMinThreshold, long RenewsLastMinute, IReadOnlyList<PeerStateDto> Replicas);
