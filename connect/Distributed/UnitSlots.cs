namespace Platform.Connect.Distributed;

/// <summary>
/// Maps a connector and its tasks onto slots: the connector on a stable hash of its name, task n on the n+1st slot
/// after it. Consecutive slots go to different workers under round-robin assignment, so one connector's tasks spread.
/// </summary>
internal static class UnitSlots
{
    public static int ConnectorSlot(string connector, int slots) => (int)(Fnv1a(connector) % (uint)slots);

    public static int TaskSlot(string connector, int task, int slots) => (ConnectorSlot(connector, slots) + task + 1) % slots;

    private static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
