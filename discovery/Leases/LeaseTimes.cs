namespace Platform.Discovery.Leases;

/// <summary>The <c>leaseInfo</c> timestamps of an instance at the time of a snapshot (Unix ms).</summary>
internal readonly record struct LeaseTimes(long Registration, long LastRenewal, long Eviction, long ServiceUp);
