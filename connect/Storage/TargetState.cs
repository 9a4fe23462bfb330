namespace Platform.Connect.Storage;

/// <summary>What a connector should be doing (Kafka Connect's TargetState).</summary>
internal enum TargetState
{
    Started,
    Paused,
    Stopped,
}
