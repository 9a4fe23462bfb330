namespace Platform.Scheduler.Framework;

/// <summary>
/// CPU in millicores and memory in bytes, plus extended resources by name. <see cref="NonZeroMilliCpu"/>/<see cref="NonZeroMemory"/>
/// count a pod without requests as 100m/200Mi for scoring, as kube-scheduler does, so such pods still spread.
/// </summary>
internal sealed record ResourceVector(long MilliCpu, long Memory, IReadOnlyDictionary<string, long> Scalars)
{
    public const long DefaultMilliCpu = 100;
    public const long DefaultMemory = 200L * 1024 * 1024;

    public static ResourceVector Zero { get; } = new(0, 0, new Dictionary<string, long>());

    public long NonZeroMilliCpu => MilliCpu == 0 ? DefaultMilliCpu : MilliCpu;
    public long NonZeroMemory => Memory == 0 ? DefaultMemory : Memory;
}
