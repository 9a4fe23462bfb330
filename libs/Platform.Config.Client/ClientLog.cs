using Microsoft.Extensions.Logging;

namespace Platform.Config.Client;

/// <summary>Log messages of the config client. Only names, addresses and reasons are logged, never property values.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 8501, Level = LogLevel.Warning, Message = "loading configuration for {Application} from the config server failed (attempt {Attempt}/{MaxAttempts}): {Reason}")]
    public static partial void LoadFailed(ILogger logger, string application, int attempt, int maxAttempts, string reason);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Information, Message = "loaded {Count} configuration keys for {Application} ({Profiles}) from {Server}")]
    public static partial void Loaded(ILogger logger, int count, string application, string profiles, string server);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Warning, Message = "config bus consumer on {Topic}: {Reason}")]
    public static partial void BusError(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 8504, Level = LogLevel.Information, Message = "refresh {EventId} for {Destination} received; reloading configuration")]
    public static partial void RefreshReceived(ILogger logger, string eventId, string destination);

    [LoggerMessage(EventId = 8505, Level = LogLevel.Warning, Message = "refresh reload failed; keeping the previous configuration")]
    public static partial void RefreshKeptOld(ILogger logger);
}
