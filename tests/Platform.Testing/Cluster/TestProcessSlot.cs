namespace Platform.Testing.Cluster;

/// <summary>
/// This test process's slot among the test processes running side by side on the machine (<c>./platform test</c> runs
/// two projects at once): a number below <see cref="Count"/> held with an exclusive lock file for the life of the
/// process, so resources cut per process (host port blocks, pod CIDRs) never overlap another process's. The lock goes
/// with the process, however it ends.
/// </summary>
public static class TestProcessSlot
{
    public const int Count = 8;

    private static readonly Lazy<int> s_slot = new(Claim);
    private static FileStream? s_lock;

    public static int Value => s_slot.Value;

    private static int Claim()
    {
        var dir = Path.Combine(Path.GetTempPath(), "platform-test-slots");
        Directory.CreateDirectory(dir);
        var start = Environment.ProcessId % Count;
        for (var i = 0; i < Count; i++)
        {
            var slot = (start + i) % Count;
            try
            {
                // FileShare.None is an exclusive flock on Linux: a second process (or a second open here) is refused.
                s_lock = new FileStream(Path.Combine(dir, $"slot-{slot}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return slot;
            }
            catch (IOException)
            {
            }
        }
        throw new InvalidOperationException($"all {Count} test process slots in {dir} are held: more than {Count} test processes run at once");
    }
}
