using Microsoft.Extensions.Options;

namespace Platform.Discovery.Configuration;

/// <summary>Reports every invalid setting at start, naming its configuration key.</summary>
internal sealed class EurekaServerOptionsValidator : IValidateOptions<EurekaServerOptions>
{
    public ValidateOptionsResult Validate(string? name, EurekaServerOptions o)
    {
        var errors = new List<string>();
        const string p = EurekaServerOptions.Section + ":";
        if (o.RenewalPercentThreshold is <= 0 or > 1) errors.Add(p + "RenewalPercentThreshold: must be in (0, 1]");
        if (o.ExpectedClientRenewalIntervalSeconds <= 0) errors.Add(p + "ExpectedClientRenewalIntervalSeconds: must be > 0");
        if (o.SelfPreservationMinInstances < 0) errors.Add(p + "SelfPreservationMinInstances: must be >= 0");
        if (o.RenewalThresholdUpdateIntervalSeconds <= 0) errors.Add(p + "RenewalThresholdUpdateIntervalSeconds: must be > 0");
        if (o.EvictionIntervalSeconds <= 0) errors.Add(p + "EvictionIntervalSeconds: must be > 0");
        if (o.DeltaRetentionSeconds <= 0) errors.Add(p + "DeltaRetentionSeconds: must be > 0");
        if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password))
            errors.Add(p + "Username/Password: set both or neither");
        if (o.MaxBodyBytes < 1024) errors.Add(p + "MaxBodyBytes: must be >= 1024");
        if (o.MaxBatchBodyBytes < o.MaxBodyBytes) errors.Add(p + "MaxBatchBodyBytes: must be >= MaxBodyBytes");
        // The XML and JSON converters recurse once per level; a few hundred levels keep well inside a thread's stack.
        if (o.MaxBodyDepth is < 8 or > 512) errors.Add(p + "MaxBodyDepth: must be in [8, 512]");
        if (o.PeerSyncTimeoutSeconds < 0) errors.Add(p + "PeerSyncTimeoutSeconds: must be >= 0");
        if (o.ReplicationBatchSize <= 0) errors.Add(p + "ReplicationBatchSize: must be > 0");
        if (o.RestoreTimeout < TimeSpan.Zero) errors.Add(p + "RestoreTimeout: must be >= 0 (0 turns the restore off)");
        if (o.ResponseCacheWarmIntervalSeconds < 0) errors.Add(p + "ResponseCacheWarmIntervalSeconds: must be >= 0");
        if (string.IsNullOrWhiteSpace(o.EventsTopic)) errors.Add(p + "EventsTopic: required");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
