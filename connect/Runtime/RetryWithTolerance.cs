namespace Platform.Connect.Runtime;

/// <summary>
/// Kafka Connect's RetryWithToleranceOperator: an operation that throws is retried with exponential back-off (300 ms
/// doubling, capped at <c>errors.retry.delay.max.ms</c>) until <c>errors.retry.timeout</c> runs out; then, with
/// <c>errors.tolerance=all</c>, the record is skipped (and dead-lettered by the caller), with <c>none</c> the task fails.
/// </summary>
internal sealed class RetryWithTolerance(IReadOnlyDictionary<string, string> config, TimeProvider time)
{
    private readonly bool _tolerateAll = config.GetValueOrDefault(ConnectorConfig.ErrorsTolerance, "none") == "all";
    private readonly long _timeoutMs = long.Parse(config.GetValueOrDefault(ConnectorConfig.ErrorsRetryTimeout, "0"), System.Globalization.CultureInfo.InvariantCulture);
    private readonly long _maxDelayMs = long.Parse(config.GetValueOrDefault(ConnectorConfig.ErrorsRetryDelayMax, "60000"), System.Globalization.CultureInfo.InvariantCulture);

    public bool TolerateAll => _tolerateAll;

    /// <summary>The operation's result, or a failure when retries ran out (thrown when errors are not tolerated).</summary>
    public Task<(T? Value, Exception? Error)> ExecuteAsync<T>(Func<T> operation, CancellationToken cancellationToken) =>
        ExecuteAsync(_ => Task.FromResult(operation()), cancellationToken);

    public async Task<(T? Value, Exception? Error)> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var delay = 300L;
        while (true)
        {
            try
            {
                return (await operation(cancellationToken), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var elapsed = (long)time.GetElapsedTime(start).TotalMilliseconds;
                if (_timeoutMs == 0 || (_timeoutMs > 0 && elapsed + delay > _timeoutMs))
                {
                    if (!_tolerateAll) throw new ToleranceExceededException("Tolerance exceeded in error handler", ex);
                    return (default, ex);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken);
                delay = Math.Min(delay * 2, _maxDelayMs);
            }
        }
    }
}

/// <summary>A record failed with <c>errors.tolerance=none</c>: the task stops with this as its trace.</summary>
internal sealed class ToleranceExceededException(string message, Exception inner) : Exception(message, inner);
