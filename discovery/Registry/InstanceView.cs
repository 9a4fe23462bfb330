using Platform.Discovery.Leases;

namespace Platform.Discovery.Registry;

/// <summary>An instance with its lease timestamps, as serialized in a response.</summary>
internal sealed record InstanceView(InstanceInfo Info, LeaseTimes Lease);
