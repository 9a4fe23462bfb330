namespace Platform.Discovery.Registry;

/// <summary>Eureka's wire spellings of statuses and action types.</summary>
internal static class EurekaNames
{
    public static string Of(InstanceStatus s) => s switch
    {
        InstanceStatus.Up => "UP",
        InstanceStatus.Down => "DOWN",
        InstanceStatus.Starting => "STARTING",
        InstanceStatus.OutOfService => "OUT_OF_SERVICE",
        _ => "UNKNOWN",
    };

    public static string Of(ActionType a) => a switch
    {
        ActionType.Added => "ADDED",
        ActionType.Modified => "MODIFIED",
        _ => "DELETED",
    };

    public static bool TryParseStatus(string? value, out InstanceStatus status)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "UP": status = InstanceStatus.Up; return true;
            case "DOWN": status = InstanceStatus.Down; return true;
            case "STARTING": status = InstanceStatus.Starting; return true;
            case "OUT_OF_SERVICE": status = InstanceStatus.OutOfService; return true;
            case "UNKNOWN": status = InstanceStatus.Unknown; return true;
            default: status = InstanceStatus.Unknown; return false;
        }
    }

    public static bool TryParseAction(string? value, out ActionType action)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "ADDED": action = ActionType.Added; return true;
            case "MODIFIED": action = ActionType.Modified; return true;
            case "DELETED": action = ActionType.Deleted; return true;
            default: action = ActionType.Added; return false;
        }
    }
}
