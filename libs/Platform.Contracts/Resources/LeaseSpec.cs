using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>Who holds a <see cref="Lease"/>, since when, and for how long after its last renewal.</summary>
public sealed record LeaseSpec
{
    /// <summary>The current holder; empty or absent when the lease is free (a holder that stepped down clears it).</summary>
    public string? HolderIdentity { get; init; }

    /// <summary>How long others wait after the last renewal they saw before they may take the lease.</summary>
    public int? LeaseDurationSeconds { get; init; }

    /// <summary>When the current holder took the lease.</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? AcquireTime { get; init; }

    /// <summary>When the current holder last renewed the lease.</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? RenewTime { get; init; }

    /// <summary>How many times the lease changed hands.</summary>
    public int? LeaseTransitions { get; init; }
}
