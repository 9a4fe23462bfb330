namespace Platform.Testing;

/// <summary>Awaits a condition with a timeout instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        WaitAsync(probe, timeout, what, describe: null, interval);

    /// <summary>As the other overload; on timeout, <paramref name="describe"/>'s account of the state is added to the message.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<Task<string>>? describe, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (value is not null && !value.Equals(false)) return value;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException and not TimeoutException)
            {
                last = ex;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
        var message = $"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})");
        if (describe is not null) message += "\n" + await describe();
        throw new TimeoutException(message, last);
    }

    public static Task WaitAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        WaitAsync<object>(async () => await probe() ? true : null, timeout, what);

    public static Task WaitAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, Func<Task<string>> describe) =>
        WaitAsync<object>(async () => await probe() ? true : null, timeout, what, describe);

    public static Task WaitAsync(Func<bool> probe, TimeSpan timeout, string what) =>
        WaitAsync<object>(() => Task.FromResult<object?>(probe() ? true : null), timeout, what);
}
