using Microsoft.Extensions.Options;

namespace Platform.Connect.Configuration;

/// <summary>Reports every bad <c>Connect:*</c> setting at start, each naming its key.</summary>
internal sealed class ConnectOptionsValidator : IValidateOptions<ConnectOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.Mode)) errors.Add($"Connect:Mode: '{o.Mode}' is not one of distributed, standalone");
        if (string.IsNullOrWhiteSpace(o.GroupId)) errors.Add("Connect:GroupId: required");
        foreach (var (key, topic) in new[] { ("ConfigStorageTopic", o.ConfigStorageTopic), ("OffsetStorageTopic", o.OffsetStorageTopic), ("StatusStorageTopic", o.StatusStorageTopic) })
            if (string.IsNullOrWhiteSpace(topic) || topic.Length > 249 || topic.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
                errors.Add($"Connect:{key}: '{topic}' is not a valid topic name (letters, digits, '.', '_', '-', at most 249)");
        if (o.OffsetStoragePartitions < 1) errors.Add("Connect:OffsetStoragePartitions: must be >= 1");
        if (o.StatusStoragePartitions < 1) errors.Add("Connect:StatusStoragePartitions: must be >= 1");
        if (o.ReplicationFactor < 1) errors.Add("Connect:ReplicationFactor: must be >= 1");
        if (o.Mode == WorkerMode.Standalone && string.IsNullOrWhiteSpace(o.OffsetsFile)) errors.Add("Connect:OffsetsFile: required in standalone mode");
        if (o.OffsetFlushIntervalMs < 10) errors.Add("Connect:OffsetFlushIntervalMs: must be >= 10");
        if (o.SessionTimeoutMs < 1000) errors.Add("Connect:SessionTimeoutMs: must be >= 1000");
        if (o.CoordinationPartitions < 1) errors.Add("Connect:CoordinationPartitions: must be >= 1");
        if (o.PluginPath is { Length: > 0 } path && !Directory.Exists(path)) errors.Add($"Connect:PluginPath: '{path}' is not a folder");
        if (o.AdvertisedUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _)) errors.Add($"Connect:AdvertisedUrl: '{url}' is not an absolute URL");
        if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password)) errors.Add("Connect:Username and Connect:Password: set both or neither");
        if (o.MaxBodyBytes < 1024) errors.Add("Connect:MaxBodyBytes: must be >= 1024");
        if (o.MaxBodyDepth is < 2 or > 256) errors.Add("Connect:MaxBodyDepth: must be between 2 and 256");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
