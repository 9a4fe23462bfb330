namespace Platform.Discovery.Registry;

/// <summary>What a delta entry says happened to an instance.</summary>
internal enum ActionType
{
    Added,
    Modified,
    Deleted,
}
