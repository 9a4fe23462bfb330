namespace Platform.ControllerManager.Controllers;

/// <summary>
/// client-go's slowStartBatch: runs <paramref name="count"/> creations in batches of 1, 2, 4 ... and stops at the
/// first batch with a failure, so a template the apiserver rejects fails fast instead of N times. Returns how many
/// succeeded; <paramref name="create"/> receives the index of the item.
/// </summary>
internal static class SlowStart
{
    public static async Task<int> RunAsync(int count, Func<int, Task<bool>> create)
    {
        var done = 0;
        for (var batch = 1; done < count; batch *= 2)
        {
            var start = done;
            var size = Math.Min(batch, count - done);
            var results = await Task.WhenAll(Enumerable.Range(start, size).Select(create));
            done += results.Count(r => r);
            if (results.Any(r => !r)) return done;
        }
        return done;
    }
}
