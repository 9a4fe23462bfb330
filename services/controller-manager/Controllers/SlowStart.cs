namespace Platform.ControllerManager.Controllers;

/// <summary>
/// client-go's slowStartBatch: runs <c>count</c> creations in batches of 1, 2, 4 ... and stops at the first batch
/// with a failure, so a template the apiserver rejects fails fast instead of N times. The create function receives
/// the index of the item.
/// </summary>
internal static class SlowStart
{
    public static async Task<SlowStartResult> RunAsync(int count, Func<int, Task<bool>> create)
    {
        var (attempted, succeeded) = (0, 0);
        for (var batch = 1; attempted < count; batch *= 2)
        {
            var size = Math.Min(batch, count - attempted);
            var results = await Task.WhenAll(Enumerable.Range(attempted, size).Select(create));
            attempted += size;
            succeeded += results.Count(r => r);
            if (succeeded < attempted) break;
        }
        return new SlowStartResult(count, attempted, succeeded);
    }
}

/// <summary>
/// How a <see cref="SlowStart"/> run ended. A failed creation lowers its owner's expectations itself; the creations
/// never sent (<see cref="NotAttempted"/>) are the caller's to lower, and only those: lowered twice, the expectations
/// would be met before the successful creations reached the cache, and the next pass would create them again.
/// </summary>
internal readonly record struct SlowStartResult(int Count, int Attempted, int Succeeded)
{
    public int NotAttempted => Count - Attempted;
}
